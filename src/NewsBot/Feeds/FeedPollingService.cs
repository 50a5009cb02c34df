using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Feeds.Scheduling;
using NewsBot.Model;
using NewsBot.Runtime;
using NewsBot.Storage;

namespace NewsBot.Feeds;

/// <summary>
/// Polls due sources: a few in parallel, at most one request per host at a time, each failure caught and stored
/// so one bad source never delays or stops the others. With several processes (cluster mode) a host's due sources
/// are polled under a lease on the host (<see cref="IPollLeaseStore"/>): one process polls them, the others skip the
/// host, and a dead process's hosts are taken over once its heartbeat lapses.
/// </summary>
public sealed partial class FeedPollingService(
    ISourceStore sources,
    IPollLeaseStore leases,
    ProcessIdentity self,
    PollingActivity activity,
    SourceRefresher refresher,
    PollSignal signal,
    IHostApplicationLifetime lifetime,
    IOptions<FeedsOptions> options,
    IOptions<ClusterOptions> cluster,
    TimeProvider time,
    ILogger<FeedPollingService> logger) : BackgroundService
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How soon to look again when another process held some due hosts: it polls them meanwhile, and should it die,
    /// its leases lapse only after NewsBot:Cluster:DeadAfter anyway. Keeps the loop from spinning on sources that are
    /// due but someone else's.
    /// </summary>
    private static readonly TimeSpan HeldElsewhereWait = TimeSpan.FromSeconds(1);

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
                var round = await PollRoundAsync(stoppingToken);
                signal.FirstRoundDone();
                var next = await sources.NextDueAsync(stoppingToken);
                var wait = next is { } due ? due - time.GetUtcNow() : IdleWait;
                var least = round.HeldElsewhere > 0 ? HeldElsewhereWait : TimeSpan.Zero;
                await signal.WaitAsync(wait < least ? least : wait > IdleWait ? IdleWait : wait, time, stoppingToken);
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

    /// <summary>Refreshes every source that is due now and not another process's. Returns how many were refreshed.</summary>
    public async Task<int> PollDueAsync(CancellationToken cancellationToken) => (await PollRoundAsync(cancellationToken)).Refreshed;

    private async Task<(int Refreshed, int HeldElsewhere)> PollRoundAsync(CancellationToken cancellationToken)
    {
        var due = await sources.ListDueAsync(time.GetUtcNow(), 1000, cancellationToken);
        if (due.Count == 0)
        {
            return (0, 0);
        }

        // One queue per host, hosts in parallel: polite to each server, fast across many. Each local file is a queue of its own.
        var byHost = due.GroupBy(s => HostGate.KeyOf(s.Url) ?? s.Url).ToList();
        var firstReads = new BackfillRound();
        var refreshed = 0;
        var heldElsewhere = 0;
        await Parallel.ForEachAsync(
            byHost,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelFetches, CancellationToken = cancellationToken },
            async (host, token) =>
            {
                var now = time.GetUtcNow();
                var claimed = await leases.ClaimHostAsync(host.Key, [.. host], self.Id, now, now - cluster.Value.DeadAfter, token);
                if (claimed is null)
                {
                    Interlocked.Increment(ref heldElsewhere);
                    return;
                }

                try
                {
                    using (activity.Polling(claimed.Count))
                    {
                        await RefreshAllAsync(claimed, firstReads, token);
                    }

                    Interlocked.Add(ref refreshed, claimed.Count);
                }
                finally
                {
                    await ReleaseAsync(host.Key);
                }
            });
        await refresher.PlanBackfillAsync(firstReads, cancellationToken);
        return (refreshed, heldElsewhere);
    }

    /// <summary>One host's sources, one after the other.</summary>
    private async Task RefreshAllAsync(IReadOnlyList<Source> hostSources, BackfillRound firstReads, CancellationToken cancellationToken)
    {
        foreach (var source in hostSources)
        {
            try
            {
                await refresher.RefreshAsync(source, firstReads, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // A bug for one source must not stop the others; the next poll tries again.
                LogSourceCrashed(logger, source.Id, source.Url, ex);
                await sources.MarkFailedAsync(source.Id, $"internal: {ex.GetType().Name}", time.GetUtcNow() + options.Value.PollInterval, null, cancellationToken);
            }
        }
    }

    /// <summary>Frees the host, also when stopping (not cancelled); should that fail, the lease lapses with this process's heartbeat.</summary>
    private async Task ReleaseAsync(string host)
    {
        try
        {
            await leases.ReleaseHostAsync(host, self.Id, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogReleaseFailed(logger, host, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Polling loop failed; retrying shortly")]
    private static partial void LogPollingFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing source {SourceId} ({SourceUrl}) crashed")]
    private static partial void LogSourceCrashed(ILogger logger, long sourceId, string sourceUrl, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the polling lease on {Host}; it lapses with this process's heartbeat")]
    private static partial void LogReleaseFailed(ILogger logger, string host, Exception exception);
}

/// <summary>
/// What this process's polling holds, for /status and <c>newsbot status</c>: the hosts it polls now (under their
/// leases in a cluster) and how many sources it polled since it started, e.g. "feeds: polling 3 sources on 2 hosts
/// now, 1204 polled since start".
/// </summary>
public sealed class PollingActivity : IClusterHoldings
{
    private int _hosts;
    private int _sources;
    private long _polled;

    /// <summary>Counts one host and its <paramref name="sources"/> as being polled until the returned handle is disposed.</summary>
    public IDisposable Polling(int sources)
    {
        Interlocked.Increment(ref _hosts);
        Interlocked.Add(ref _sources, sources);
        return new Round(this, sources);
    }

    public IEnumerable<string> Describe() =>
        [string.Create(CultureInfo.InvariantCulture, $"feeds: polling {Volatile.Read(ref _sources)} sources on {Volatile.Read(ref _hosts)} hosts now, {Interlocked.Read(ref _polled)} polled since start")];

    private sealed class Round(PollingActivity owner, int sources) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Interlocked.Decrement(ref owner._hosts);
                Interlocked.Add(ref owner._sources, -sources);
                Interlocked.Add(ref owner._polled, sources);
            }
        }
    }
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
