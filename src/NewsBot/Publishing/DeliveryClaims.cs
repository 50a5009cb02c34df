using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Model;
using NewsBot.Runtime;
using NewsBot.Storage;

namespace NewsBot.Publishing;

/// <summary>
/// This process's claims on the outbox: a round claims the due rows of whole channels (so one channel is served by one
/// process at a time, at its own rate), keeps the lease alive while it sends, and releases the channels when it is done.
/// A process that dies leaves its claims to expire after <see cref="PublishingOptions.ClaimLease"/>, or sooner when the
/// cluster no longer lists it as alive; another process then sends what it left.
/// </summary>
public sealed partial class DeliveryClaims(
    IDeliveryStore deliveries,
    IClusterMembership membership,
    ProcessIdentity process,
    TimeProvider time,
    IOptions<PublishingOptions> options,
    ClaimedChannels held,
    ILogger<DeliveryClaims> logger)
{
    private TimeSpan Lease => options.Value.ClaimLease;

    /// <summary>
    /// Claims the oldest due rows of one platform's unclaimed channels, at most <paramref name="limit"/>; says how many
    /// processes are alive now, which share the platform's global budget.
    /// </summary>
    public async Task<ClaimedRound> ClaimAsync(Platform platform, int limit, CancellationToken cancellationToken)
    {
        var claim = await RequestAsync(cancellationToken);
        var due = await deliveries.ClaimDueAsync(platform, claim, limit, cancellationToken);
        held.Add(due);
        return new ClaimedRound(due, claim.LiveOwners.Count);
    }

    /// <summary>When something of the platform is due that this process could claim.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(Platform platform, CancellationToken cancellationToken) =>
        await deliveries.NextDueAsync(platform, await RequestAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// Gives a round's channels back. The release itself is never cancelled, so a stopping process does not keep them
    /// until the lease ends. A failed release (the database restarting) is retried until the lease would have run out
    /// anyway, or <paramref name="stoppingToken"/> ends: the claim rule keeps a channel from every round until its owner
    /// releases it, this process's included, so giving up early would leave the channel unserved for the whole lease.
    /// </summary>
    public async Task ReleaseAsync(IReadOnlyCollection<long> channelIds, CancellationToken stoppingToken)
    {
        held.Remove(channelIds);
        var leaseEnds = time.GetUtcNow() + Lease;
        for (var retry = TimeSpan.FromMilliseconds(250); ; retry *= 2)
        {
            try
            {
                await deliveries.ReleaseClaimsAsync(process.Id, channelIds, CancellationToken.None);
                return;
            }
            catch (Exception ex) when (time.GetUtcNow() + retry < leaseEnds && !stoppingToken.IsCancellationRequested)
            {
                LogReleaseRetried(logger, channelIds.Count, retry, ex);
                await Task.Delay(retry, time, stoppingToken);
            }
        }
    }

    /// <summary>Gives back every claim of this process (shutdown).</summary>
    public Task ReleaseAllAsync() => deliveries.ReleaseClaimsAsync(process.Id, null, CancellationToken.None);

    /// <summary>Extends the lease of the channels this process is serving, every third of the lease, until stopped.</summary>
    public async Task KeepAliveAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Lease / 3, time, stoppingToken);
            if (held.Channels() is { Count: > 0 } serving)
            {
                try
                {
                    await deliveries.RenewClaimsAsync(process.Id, serving, time.GetUtcNow() + Lease, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // One missed renewal leaves two thirds of the lease; the next one may well succeed.
                    LogRenewFailed(logger, serving.Count, ex);
                }
            }
        }
    }

    private async Task<DeliveryClaim> RequestAsync(CancellationToken cancellationToken)
    {
        var live = await membership.ListLiveAsync(cancellationToken);
        var now = time.GetUtcNow();
        // This process counts as alive even before its first heartbeat is listed.
        return new DeliveryClaim(process.Id, now, now + Lease, [.. live.Select(m => m.Id).Append(process.Id).Distinct()]);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing {Channels} delivery channels failed; retrying in {Retry}")]
    private static partial void LogReleaseRetried(ILogger logger, int channels, TimeSpan retry, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the claims of {Channels} delivery channels failed")]
    private static partial void LogRenewFailed(ILogger logger, int channels, Exception exception);
}

/// <summary>A round's claimed rows with their channels, and how many processes (this one included) are alive to share the platforms' budgets.</summary>
public sealed record ClaimedRound(IReadOnlyList<(Delivery Delivery, Channel Channel)> Due, int LiveProcesses);

/// <summary>The channels this process's rounds hold now and their claimed rows, for renewing leases and for /status.</summary>
public sealed class ClaimedChannels : IClusterHoldings
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, int> _rowsByChannel = [];

    public void Add(IEnumerable<(Delivery Delivery, Channel Channel)> claimed)
    {
        lock (_lock)
        {
            foreach (var channel in claimed.GroupBy(d => d.Channel.Id))
            {
                _rowsByChannel[channel.Key] = channel.Count();
            }
        }
    }

    public void Remove(IEnumerable<long> channelIds)
    {
        lock (_lock)
        {
            foreach (var id in channelIds)
            {
                _rowsByChannel.Remove(id);
            }
        }
    }

    public IReadOnlyList<long> Channels()
    {
        lock (_lock)
        {
            return [.. _rowsByChannel.Keys];
        }
    }

    /// <summary>Nothing while idle, as other holdings: /status lists what a process holds, not what it could.</summary>
    public IEnumerable<string> Describe()
    {
        lock (_lock)
        {
            return _rowsByChannel.Count == 0 ? [] : [$"deliveries: {_rowsByChannel.Values.Sum()} claimed in {_rowsByChannel.Count} channels"];
        }
    }
}
