using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Runtime;

namespace NewsBot.Storage;

/// <summary>
/// Writes this process's row in the processes table every NewsBot:Cluster:HeartbeatInterval: it is alive, and what
/// it holds now (every <see cref="IClusterHoldings"/>). The first beat is written at start, before any work is
/// leased, since a lease counts only while its owner's row is alive; a clean stop removes the row, so the others take
/// over at once instead of after NewsBot:Cluster:DeadAfter.
/// </summary>
public sealed partial class ClusterHeartbeatService(
    IProcessStore processes,
    ProcessIdentity self,
    IEnumerable<IClusterHoldings> holdings,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<ClusterHeartbeatService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await BeatAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await processes.RemoveAsync(self.Id, cancellationToken);
        }
        catch (Exception ex)
        {
            // The row then lapses on its own after DeadAfter.
            LogRemoveFailed(logger, self.Id, ex);
        }
    }

    /// <summary>Writes one heartbeat now; a failure is logged and the next beat tries again.</summary>
    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var member = new ClusterMember(self.Id, self.Host, self.Version, self.StartedAt, now, [.. holdings.SelectMany(h => h.Describe())]);
        try
        {
            await processes.BeatAsync(member, now - options.Value.DeadAfter, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogBeatFailed(logger, self.Id, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.HeartbeatInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await BeatAsync(stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of process {ProcessId} failed; trying again at the next beat")]
    private static partial void LogBeatFailed(ILogger logger, string processId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove process {ProcessId} from the processes table; its row lapses on its own")]
    private static partial void LogRemoveFailed(ILogger logger, string processId, Exception exception);
}
