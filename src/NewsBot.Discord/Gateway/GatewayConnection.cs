using Microsoft.Extensions.Logging;

namespace NewsBot.Discord.Gateway;

/// <summary>
/// Per-connection send side: sends are serialised (one WebSocket send at a time), at most 4096 bytes each, and
/// within 120 events per 60 s; heartbeat/identify/resume may use the 5 slots kept back from ordinary events.
/// </summary>
internal sealed partial class GatewayConnection(IGatewaySocket socket, TimeProvider time, ILogger logger)
{
    public const int MaxPayloadBytes = 4096;
    private const int EventsPerWindow = 120;
    private const int OrdinaryBudget = 115;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Queue<DateTimeOffset> _sent = new();

    /// <summary>Starts true so the first heartbeat is not mistaken for a zombie.</summary>
    public volatile bool AckReceived = true;

    /// <summary>Set when the client itself ends the connection (zombie), so the receive loop reports that cause.</summary>
    public ConnectionOutcome? Forced { get; set; }

    public async Task<bool> SendAsync(byte[] payload, bool priority, CancellationToken cancellationToken)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            // Discord closes with 4002 for oversized payloads; refuse it here instead of losing the connection.
            LogTooLarge(logger, payload.Length);
            return false;
        }

        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var now = time.GetUtcNow();
                while (_sent.Count > 0 && now - _sent.Peek() >= Window)
                {
                    _sent.Dequeue();
                }

                var budget = priority ? EventsPerWindow : OrdinaryBudget;
                if (_sent.Count < budget)
                {
                    _sent.Enqueue(now);
                    break;
                }

                await Task.Delay(_sent.Peek() + Window - now, time, cancellationToken);
            }

            await socket.SendAsync(payload, cancellationToken);
            return true;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Best-effort close frame; a dead socket is aborted by the caller anyway.</summary>
    public async Task CloseAsync(int code, string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
        try
        {
            await socket.CloseOutputAsync(code, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            LogCloseFailed(logger, code, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Gateway payload of {Size} bytes exceeds Discord's 4096-byte limit; not sent")]
    private static partial void LogTooLarge(ILogger logger, int size);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Gateway close {CloseCode} could not be sent")]
    private static partial void LogCloseFailed(ILogger logger, int closeCode, Exception exception);
}
