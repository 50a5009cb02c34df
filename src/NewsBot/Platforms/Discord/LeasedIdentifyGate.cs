using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Gateway;
using NewsBot.Runtime;
using NewsBot.Storage;

namespace NewsBot.Platforms.Discord;

/// <summary>
/// The identify gate of a cluster: one identify per bucket (<c>shard_id % max_concurrency</c>) per
/// <see cref="IdentifyPacing.BucketInterval"/> across every process, and Discord's daily session starts counted by all
/// processes together.
/// <para>
/// A bucket is a lease (<c>discord.identify:&lt;max_concurrency&gt;:&lt;bucket&gt;</c>): a shard takes it before it connects
/// and keeps renewing it until IDENTIFY is sent; then the lease is set to end one bucket interval later, so no process
/// can take it sooner. Shards of this process queue on a local gate first, and wait out their own process's last
/// identify (the lease is this process's, so taking it again would succeed at once). Session starts are the quota
/// <see cref="SessionStartsQuota"/>, filled from GET /gateway/bot's <c>session_start_limit</c>: a turn takes one, a
/// turn given up without identifying returns it.
/// </para>
/// </summary>
public sealed partial class LeasedIdentifyGate(
    GatewayBotInfoSource gatewayInfo,
    ILeaseStore leases,
    IQuotaStore quotas,
    ProcessIdentity self,
    TimeProvider time,
    IOptions<ClusterOptions> options,
    ILogger<LeasedIdentifyGate> logger) : IIdentifyGate
{
    public const string SessionStartsQuota = "discord.session_starts";

    /// <summary>Discord's session start window: <c>session_start_limit.total</c> identifies per day.</summary>
    private static readonly TimeSpan SessionStartWindow = TimeSpan.FromDays(1);

    /// <summary>Between two looks at a bucket another process holds.</summary>
    private static readonly TimeSpan BucketRecheck = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<int, SemaphoreSlim> _localBuckets = new();
    private readonly Dictionary<int, DateTimeOffset> _lastIdentified = [];
    private IdentifyBudgetSpent? _spent;

    public IdentifyBudgetSpent? BudgetSpent
    {
        get { lock (_lock) { return _spent; } }
    }

    public static string BucketLease(int maxConcurrency, int bucket) =>
        string.Create(CultureInfo.InvariantCulture, $"discord.identify:{maxConcurrency}:{bucket}");

    public async Task<IIdentifyTurn> WaitForTurnAsync(int shardId, CancellationToken cancellationToken)
    {
        var snapshot = await gatewayInfo.GetSnapshotAsync(null, cancellationToken);
        var concurrency = Math.Max(1, snapshot.Info.SessionStartLimit.MaxConcurrency);
        var bucket = shardId % concurrency;
        var local = _localBuckets.GetOrAdd(bucket, _ => new SemaphoreSlim(1, 1));
        await local.WaitAsync(cancellationToken);
        try
        {
            var period = await TakeSessionStartAsync(shardId, cancellationToken);
            try
            {
                var name = BucketLease(concurrency, bucket);
                await TakeBucketAsync(bucket, name, cancellationToken);
                return new Turn(this, local, bucket, name, period);
            }
            catch
            {
                // The bucket was not taken (a lease of this process there may still space out its last identify): only the start goes back.
                await RetryAsync(ct => quotas.GiveBackAsync(SessionStartsQuota, period, ct), CancellationToken.None);
                throw;
            }
        }
        catch
        {
            local.Release();
            throw;
        }
    }

    /// <summary>Takes one session start, first waiting for the budget's reset (and a fresh GET /gateway/bot) when it is spent. Returns the period's end.</summary>
    private async Task<DateTimeOffset> TakeSessionStartAsync(int shardId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var snapshot = await gatewayInfo.GetSnapshotAsync(null, cancellationToken);
            var limit = snapshot.Info.SessionStartLimit;
            var now = time.GetUtcNow();
            // reset_after 0 (no session started in the current window, as the fake and a fresh token answer): the
            // window opens with the first start and lasts a day at most, so count this figure for a day.
            var periodEnd = snapshot.SessionStartResetAt > now ? snapshot.SessionStartResetAt : now + SessionStartWindow;
            var take = await RetryAsync(ct => quotas.TakeAsync(SessionStartsQuota, limit.Remaining, periodEnd, now, ct), cancellationToken);
            IdentifyBudgetSpent? spent;
            lock (_lock)
            {
                if (take.Taken)
                {
                    if (_spent is not null)
                    {
                        _spent = null;
                        LogBudgetRenewed(logger);
                    }

                    return take.ResetAt;
                }

                spent = _spent is null ? _spent = new IdentifyBudgetSpent(limit.Total, time.GetUtcNow(), take.ResetAt) : null;
            }

            if (spent is not null)
            {
                LogBudgetSpent(logger, spent.Total, shardId, spent.ResetAt);
            }

            var wait = take.ResetAt - time.GetUtcNow();
            await Task.Delay(wait > IdentifyPacing.SpentRecheck ? wait : IdentifyPacing.SpentRecheck, time, cancellationToken);
            await gatewayInfo.GetSnapshotAsync(snapshot.FetchedAt + TimeSpan.FromTicks(1), cancellationToken);
        }
    }

    private async Task TakeBucketAsync(int bucket, string name, CancellationToken cancellationToken)
    {
        DateTimeOffset? last;
        lock (_lock)
        {
            last = _lastIdentified.TryGetValue(bucket, out var at) ? at : null;
        }

        if (last is { } previous && previous + IdentifyPacing.BucketInterval - time.GetUtcNow() is { Ticks: > 0 } ownWait)
        {
            await Task.Delay(ownWait, time, cancellationToken);
        }

        while (true)
        {
            var now = time.GetUtcNow();
            var holder = await RetryAsync(ct => leases.TakeAsync(name, self.Id, now, now + options.Value.LeaseLength, ct), cancellationToken);
            if (holder.Owner == self.Id)
            {
                return;
            }

            var wait = holder.Until - now;
            await Task.Delay(wait < BucketRecheck ? BucketRecheck : wait > options.Value.RenewEvery ? options.Value.RenewEvery : wait, time, cancellationToken);
        }
    }

    /// <summary>A database call retried until it answers: a shard waiting to identify must not fail because of a database blip.</summary>
    private async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await call(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStoreFailed(logger, ex);
                await Task.Delay(options.Value.RenewEvery, time, cancellationToken);
            }
        }
    }

    private Task RetryAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        RetryAsync(async ct => { await call(ct); return true; }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord's session start budget ({Total} identifies a day, shared by every process) is spent: shard {ShardId}, and any other shard that must identify, waits until {ResetAt:u}")]
    private static partial void LogBudgetSpent(ILogger logger, int total, int shardId, DateTimeOffset resetAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord's session start budget is renewed")]
    private static partial void LogBudgetRenewed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord identify gate: the database did not answer; trying again")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception);

    /// <summary>The turn's IDENTIFY went out: the lease now says when the bucket is free again for every process (a failed write leaves it longer, never shorter).</summary>
    private Task IdentifiedAsync(int bucket, string name, Task renewal)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            _lastIdentified[bucket] = now;
        }

        return RetryAsync(async ct =>
        {
            await renewal;
            await leases.TakeAsync(name, self.Id, now, now + IdentifyPacing.BucketInterval, ct);
        }, CancellationToken.None);
    }

    /// <summary>A turn given up without identifying: the bucket and the session start go back.</summary>
    private async Task GiveUpAsync(string name, DateTimeOffset period)
    {
        await RetryAsync(ct => leases.ReleaseAsync([name], self.Id, ct), CancellationToken.None);
        await RetryAsync(ct => quotas.GiveBackAsync(SessionStartsQuota, period, ct), CancellationToken.None);
    }

    /// <summary>Keeps the bucket's lease while the shard connects and waits for Hello (up to a minute).</summary>
    private async Task RenewTurnAsync(string name, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        try
        {
            while (true)
            {
                await Task.Delay(settings.RenewEvery, time, cancellationToken);
                await leases.RenewAsync([name], self.Id, time.GetUtcNow() + settings.LeaseLength, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Identified or given up.
        }
        catch (Exception ex)
        {
            // The lease then ends on its own; an identify that meets another one gets op 9 and is retried.
            LogStoreFailed(logger, ex);
        }
    }

    private sealed class Turn : IIdentifyTurn
    {
        private readonly LeasedIdentifyGate _gate;
        private readonly SemaphoreSlim _local;
        private readonly int _bucket;
        private readonly string _name;
        private readonly DateTimeOffset _period;
        private readonly CancellationTokenSource _renewing = new();
        private readonly Task _renewal;
        private Task _settled = Task.CompletedTask;
        private int _done;

        public Turn(LeasedIdentifyGate gate, SemaphoreSlim local, int bucket, string name, DateTimeOffset period)
        {
            _gate = gate;
            _local = local;
            _bucket = bucket;
            _name = name;
            _period = period;
            _renewal = gate.RenewTurnAsync(name, _renewing.Token);
        }

        public void Identified()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                _renewing.Cancel();
                _settled = _gate.IdentifiedAsync(_bucket, _name, _renewal);
                _local.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                await _renewing.CancelAsync();
                await _renewal;
                await _gate.GiveUpAsync(_name, _period);
                _local.Release();
            }

            await _settled;
            _renewing.Dispose();
        }
    }
}
