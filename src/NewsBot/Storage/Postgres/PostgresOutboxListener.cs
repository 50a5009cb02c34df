using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NewsBot.Runtime;

namespace NewsBot.Storage.Postgres;

/// <summary>
/// Cluster mode's cross-process wake-up: one connection of this process LISTENs on <see cref="PgOutboxNotifier.Channel"/>
/// and wakes the local dispatcher (<see cref="DeliverySignal"/>) when another process committed new outbox rows, so
/// they leave at once instead of at this process's next round. After connecting (at start, after a server restart) it
/// wakes the dispatcher once for what was added meanwhile. A lost connection is dialled again after 1, 2, 4 … s (±25 %,
/// at most 60 s); the dispatcher's own rounds carry on in between, only later.
/// </summary>
public sealed partial class PostgresOutboxListener(PgConnections connections, PgOutboxNotifier notifier, DeliverySignal signal, TimeProvider time,
    ILogger<PostgresOutboxListener> logger) : BackgroundService
{
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(60);

    /// <summary>How long the connection may stay silent before a query checks that it still reaches the server.</summary>
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(() => failures = 0, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var pause = Pause(failures, Random.Shared.NextDouble());
                LogConnectionLost(logger, ex, pause.TotalSeconds);
                try
                {
                    await Task.Delay(pause, time, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>1, 2, 4 … s after consecutive failures, ±25 % (<paramref name="jitter"/> in [0, 1)), never above 60 s.</summary>
    internal static TimeSpan Pause(int failures, double jitter)
    {
        var seconds = Math.Pow(2, Math.Min(failures - 1, 6)) * (0.75 + (jitter * 0.5));
        return TimeSpan.FromSeconds(Math.Min(seconds, LongestPause.TotalSeconds));
    }

    private async Task ListenAsync(Action connected, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        connection.Notification += (_, notification) =>
        {
            if (notification.Payload != notifier.Sender)
            {
                signal.Notify();
            }
        };
        await connection.ExecuteAsync(null, $"LISTEN {PgOutboxNotifier.Channel}", cancellationToken);
        connected();
        LogListening(logger, PgOutboxNotifier.Channel);
        // Rows another process added while this one did not listen yet.
        signal.Notify();
        while (true)
        {
            if (!await connection.WaitAsync(Probe, cancellationToken))
            {
                await connection.ExecuteAsync(null, "SELECT 1", cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening on {Channel} for other processes' new deliveries")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection that listens for other processes' new deliveries; dialling again in {PauseSeconds:F1} s (meanwhile they are found at the dispatcher's next round)")]
    private static partial void LogConnectionLost(ILogger logger, Exception exception, double pauseSeconds);
}
