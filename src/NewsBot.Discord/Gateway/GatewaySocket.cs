using System.Buffers;
using System.Net.WebSockets;

namespace NewsBot.Discord.Gateway;

/// <summary>One received gateway message, or the close the server sent (Closed with its code, null when dropped).</summary>
public readonly record struct GatewayFrame(ReadOnlyMemory<byte> Payload, bool Closed, int? CloseCode, string? CloseReason)
{
    public static GatewayFrame Message(ReadOnlyMemory<byte> payload) => new(payload, false, null, null);

    public static GatewayFrame Close(int? code, string? reason) => new(default, true, code, reason);
}

/// <summary>The WebSocket seen by the Gateway client; tests may script it, production uses ClientWebSocket.</summary>
public interface IGatewaySocket : IDisposable
{
    Task ConnectAsync(Uri uri, CancellationToken cancellationToken);

    Task SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken);

    /// <summary>Returns a whole message (frames assembled until EndOfMessage) or the close.</summary>
    Task<GatewayFrame> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Sends a close frame without waiting for the answer.</summary>
    Task CloseOutputAsync(int code, string reason, CancellationToken cancellationToken);

    void Abort();
}

public interface IGatewaySocketFactory
{
    IGatewaySocket Create();
}

internal sealed class ClientWebSocketFactory : IGatewaySocketFactory
{
    public IGatewaySocket Create() => new ClientWebSocketGatewaySocket();
}

internal sealed class ClientWebSocketGatewaySocket : IGatewaySocket
{
    private readonly ClientWebSocket _socket = new();

    public Task ConnectAsync(Uri uri, CancellationToken cancellationToken) => _socket.ConnectAsync(uri, cancellationToken);

    public Task SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken) =>
        _socket.SendAsync(utf8Json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).AsTask();

    public async Task<GatewayFrame> ReceiveAsync(CancellationToken cancellationToken)
    {
        // READY with many guilds spans several frames; only EndOfMessage completes a payload.
        var buffer = new ArrayBufferWriter<byte>(8192);
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.GetMemory(8192), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return GatewayFrame.Close(_socket.CloseStatus is { } status ? (int)status : null, _socket.CloseStatusDescription);
            }

            buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return GatewayFrame.Message(buffer.WrittenMemory);
            }
        }
    }

    public Task CloseOutputAsync(int code, string reason, CancellationToken cancellationToken) =>
        _socket.State is WebSocketState.Open or WebSocketState.CloseReceived
            ? _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, cancellationToken)
            : Task.CompletedTask;

    public void Abort() => _socket.Abort();

    public void Dispose() => _socket.Dispose();
}
