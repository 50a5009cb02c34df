using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Feeds.Scheduling;
using NewsBot.Runtime;
using NewsBot.Storage;

namespace NewsBot.Feeds;

/// <summary>
/// Polls due sources: a few in parallel, at most one request per host at a time, each failure caught and stored
/// so one bad source never delays or stops the others.
/// </summary>
public sealed partial class FeedPollingService(
    ISourceStore sources,
    SourceRefresher refresher,
    PollSignal signal,
    IHostApplicationLifetime lifetime,
    IOptions<FeedsOptions> options,
    TimeProvider time,
    ILogger<FeedPollingService> logger) : BackgroundService
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Start once every hosted service has started, so channels set up at start-up see the first poll.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollDueAsync(stoppingToken);
                signal.FirstRoundDone();
                var next = await sources.NextDueAsync(stoppingToken);
                var wait = next is { } due ? due - time.GetUtcNow() : IdleWait;
                await signal.WaitAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > IdleWait ? IdleWait : wait, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPollingFailed(logger, ex);
                await signal.WaitAsync(TimeSpan.FromSeconds(10), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Refreshes every source that is due now. Returns how many were refreshed.</summary>
    public async Task<int> PollDueAsync(CancellationToken cancellationToken)
    {
        var due = await sources.ListDueAsync(time.GetUtcNow(), 1000, cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        // One queue per host, hosts in parallel: polite to each server, fast across many. Each local file is a queue of its own.
        var byHost = due.GroupBy(s => HostGate.KeyOf(s.Url) ?? s.Url).ToList();
        var firstReads = new BackfillRound();
        await Parallel.ForEachAsync(
            byHost,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelFetches, CancellationToken = cancellationToken },
            async (host, token) =>
            {
                foreach (var source in host)
                {
                    try
                    {
                        await refresher.RefreshAsync(source, firstReads, token);
                    }
                    catch (Exception ex) when (!token.IsCancellationRequested)
                    {
                        // A bug for one source must not stop the others; the next poll tries again.
                        LogSourceCrashed(logger, source.Id, source.Url, ex);
                        await sources.MarkFailedAsync(source.Id, $"internal: {ex.GetType().Name}", time.GetUtcNow() + options.Value.PollInterval, null, token);
                    }
                }
            });
        await refresher.PlanBackfillAsync(firstReads, cancellationToken);
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Polling loop failed; retrying shortly")]
    private static partial void LogPollingFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing source {SourceId} ({SourceUrl}) crashed")]
    private static partial void LogSourceCrashed(ILogger logger, long sourceId, string sourceUrl, Exception exception);
}

/// <summary>Wakes the polling loop when a source was added or resumed; tells when the first round of polls is done.</summary>
public sealed class PollSignal
{
    private readonly DeliverySignal _signal = new();
    private readonly TaskCompletionSource _firstRound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes after the first round of polls at start-up (whether or not each source succeeded).</summary>
    public Task FirstRound => _firstRound.Task;

    public void FirstRoundDone() => _firstRound.TrySetResult();

    public void Notify() => _signal.Notify();

    public Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, time, cancellationToken);
}
