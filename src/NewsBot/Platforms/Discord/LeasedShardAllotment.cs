using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Gateway;
using NewsBot.Runtime;
using NewsBot.Storage;

namespace NewsBot.Platforms.Discord;

/// <summary>
/// Shards of a cluster: each shard is a lease (<c>discord.shard:&lt;count&gt;:&lt;id&gt;</c>), so exactly one process runs it.
/// Every <see cref="ClusterOptions.RenewEvery"/> a process renews its shards, then aims at a fair share,
/// <c>ceil(shards / live processes)</c>: above it, it stops its highest shards and releases each once stopped (its
/// session saved, so the next holder resumes it); below it, it takes shards nobody holds, or whose lease ended (a
/// process that died). A shard whose lease could not be renewed is stopped before the lease ends.
/// </summary>
public sealed partial class LeasedShardAllotment(
    ILeaseStore leases,
    IClusterMembership membership,
    ProcessIdentity self,
    TimeProvider time,
    IOptions<ClusterOptions> options,
    ILogger<LeasedShardAllotment> logger) : IShardAllotment, IClusterHoldings
{
    private readonly ConcurrentDictionary<int, HeldShard> _held = new();

    public static string Prefix(int shardCount) => string.Create(CultureInfo.InvariantCulture, $"discord.shard:{shardCount}:");

    public static string LeaseName(int shardId, int shardCount) => Prefix(shardCount) + shardId.ToString(CultureInfo.InvariantCulture);

    /// <summary>"shards 0, 2" while this process runs shards 0 and 2.</summary>
    public IEnumerable<string> Describe()
    {
        var held = _held.Values.Where(h => !h.Releasing).Select(h => h.ShardId).Order().ToList();
        return held.Count == 0 ? [] : ["shards " + string.Join(", ", held)];
    }

    public async IAsyncEnumerable<ShardGrant> GrantAsync(ShardSelection selection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                foreach (var grant in await BalanceAsync(selection, cancellationToken))
                {
                    _held[grant.ShardId].Started = true;
                    yield return grant;
                }

                await Task.Delay(options.Value.RenewEvery, time, cancellationToken);
            }
        }
        finally
        {
            // Stopping: the shards stop with the set; give their leases up once stopped so others need not wait them out.
            var held = _held.Values.ToList();
            foreach (var shard in held)
            {
                await shard.Revoke.CancelAsync();
                if (!shard.Started)
                {
                    // Taken as the set stopped, never handed to it: nothing runs it.
                    shard.Grant.Stopped();
                }
            }

            await Task.WhenAll(held.Select(h => h.Grant.WhenStopped));
            await ReleaseQuietlyAsync([.. held.Select(h => h.Name)]);
            _held.Clear();
        }
    }

    /// <summary>One round: renew, hand over the surplus, take up to the fair share. Returns the shards taken.</summary>
    private async Task<IReadOnlyList<ShardGrant>> BalanceAsync(ShardSelection selection, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        try
        {
            var now = time.GetUtcNow();
            var renewed = await leases.RenewAsync([.. _held.Values.Select(h => h.Name)], self.Id, now + settings.LeaseLength, cancellationToken);
            foreach (var shard in _held.Values)
            {
                if (renewed.Contains(shard.Name))
                {
                    shard.Until = now + settings.LeaseLength;
                }
                else
                {
                    Lose(shard, "another process holds it now");
                }
            }

            var live = Math.Max(1, (await membership.ListLiveAsync(cancellationToken)).Count);
            var fairShare = (selection.Ids.Count + live - 1) / live;
            var keeping = _held.Values.Where(h => !h.Releasing).OrderBy(h => h.ShardId).ToList();
            foreach (var surplus in keeping.Skip(fairShare))
            {
                HandOver(surplus);
            }

            return keeping.Count < fairShare ? await TakeAsync(selection, fairShare - keeping.Count, cancellationToken) : [];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStoreFailed(logger, ex);
            var now = time.GetUtcNow();
            foreach (var shard in _held.Values.Where(h => now >= h.Until - settings.StopMargin))
            {
                Lose(shard, "its lease could not be renewed in time");
            }

            return [];
        }
    }

    private async Task<IReadOnlyList<ShardGrant>> TakeAsync(ShardSelection selection, int wanted, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var prefix = Prefix(selection.Count);
        var busy = (await leases.ListAsync(prefix, cancellationToken))
            .Where(l => l.Until >= now)
            .Select(l => int.Parse(l.Name.AsSpan(prefix.Length), CultureInfo.InvariantCulture))
            .ToHashSet();
        var granted = new List<ShardGrant>();
        foreach (var id in selection.Ids.Where(id => !busy.Contains(id) && !_held.ContainsKey(id)))
        {
            if (granted.Count == wanted)
            {
                break;
            }

            var name = LeaseName(id, selection.Count);
            var holder = await leases.TakeAsync(name, self.Id, now, now + options.Value.LeaseLength, cancellationToken);
            if (holder.Owner != self.Id)
            {
                continue;
            }

            var revoke = new CancellationTokenSource();
            var shard = new HeldShard(id, name, new ShardGrant(id, revoke.Token), revoke) { Until = holder.Until };
            _held[id] = shard;
            granted.Add(shard.Grant);
            LogTaken(logger, id, selection.Count);
        }

        return granted;
    }

    /// <summary>Stops a shard above the fair share and releases it once stopped; it is renewed meanwhile.</summary>
    private void HandOver(HeldShard shard)
    {
        shard.Releasing = true;
        LogHandedOver(logger, shard.ShardId);
        shard.Revoke.Cancel();
        _ = ReleaseWhenStoppedAsync(shard);
    }

    private async Task ReleaseWhenStoppedAsync(HeldShard shard)
    {
        await shard.Grant.WhenStopped;
        await ReleaseQuietlyAsync([shard.Name]);
        _held.TryRemove(shard.ShardId, out _);
    }

    /// <summary>The lease is gone or about to end: stop at once, and never renew or release it again.</summary>
    private void Lose(HeldShard shard, string why)
    {
        if (_held.TryRemove(shard.ShardId, out _))
        {
            LogLost(logger, shard.ShardId, why);
            shard.Revoke.Cancel();
        }
    }

    private async Task ReleaseQuietlyAsync(IReadOnlyCollection<string> names)
    {
        try
        {
            await leases.ReleaseAsync(names, self.Id, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The leases then end on their own; the next holder waits one lease length longer.
            LogStoreFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: this process now runs Discord shard {ShardId} of {ShardCount}")]
    private static partial void LogTaken(ILogger logger, int shardId, int shardCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: handing Discord shard {ShardId} over to another process (above this process's fair share)")]
    private static partial void LogHandedOver(ILogger logger, int shardId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: Discord shard {ShardId} stopped: {Why}")]
    private static partial void LogLost(ILogger logger, int shardId, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: the shard leases could not be read or renewed")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception);

    private sealed class HeldShard(int shardId, string name, ShardGrant grant, CancellationTokenSource revoke)
    {
        public int ShardId { get; } = shardId;

        public string Name { get; } = name;

        public ShardGrant Grant { get; } = grant;

        public CancellationTokenSource Revoke { get; } = revoke;

        public DateTimeOffset Until { get; set; }

        public volatile bool Releasing;

        public volatile bool Started;
    }
}
