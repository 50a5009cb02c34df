using Microsoft.Extensions.Logging;

namespace NewsBot.Discord.Gateway;

/// <summary>
/// The identify gate for the shards of one process: one identify per bucket (<c>shard_id % max_concurrency</c>)
/// per 5 s (plus a 1 s margin for the previous one's travel), counted from when IDENTIFY was actually sent, and never more identifies than
/// <c>session_start_limit.remaining</c> until <c>reset_after</c> has passed and GET /gateway/bot says so again.
/// </summary>
public sealed partial class InProcessIdentifyGate(GatewayBotInfoSource gatewayInfo, TimeProvider time, ILogger<InProcessIdentifyGate> logger)
    : IIdentifyGate
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, SemaphoreSlim> _buckets = [];
    private readonly Dictionary<int, DateTimeOffset> _lastIdentified = [];
    private GatewayBotSnapshot? _counted;
    private int _startsTaken;
    private IdentifyBudgetSpent? _spent;

    public IdentifyBudgetSpent? BudgetSpent
    {
        get { lock (_lock) { return _spent; } }
    }

    public async Task<IIdentifyTurn> WaitForTurnAsync(int shardId, CancellationToken cancellationToken)
    {
        var snapshot = await gatewayInfo.GetSnapshotAsync(null, cancellationToken);
        var bucket = shardId % Math.Max(1, snapshot.Info.SessionStartLimit.MaxConcurrency);
        SemaphoreSlim gate;
        lock (_lock)
        {
            if (!_buckets.TryGetValue(bucket, out gate!))
            {
                gate = _buckets[bucket] = new SemaphoreSlim(1, 1);
            }
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            await TakeSessionStartAsync(shardId, cancellationToken);
            DateTimeOffset? last;
            lock (_lock)
            {
                last = _lastIdentified.TryGetValue(bucket, out var at) ? at : null;
            }

            var wait = last is { } previous ? previous + IdentifyPacing.BucketInterval - time.GetUtcNow() : TimeSpan.Zero;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    GiveBack();
                    throw;
                }
            }

            return new Turn(this, gate, bucket);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>Counts one start against the budget, first waiting for its reset (and a fresh GET /gateway/bot) when it is spent.</summary>
    private async Task TakeSessionStartAsync(int shardId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var snapshot = await gatewayInfo.GetSnapshotAsync(null, cancellationToken);
            IdentifyBudgetSpent? spent;
            lock (_lock)
            {
                if (!ReferenceEquals(snapshot, _counted))
                {
                    // A new answer counts every identify made so far, ours included.
                    _counted = snapshot;
                    _startsTaken = 0;
                }

                if (snapshot.Info.SessionStartLimit.Remaining - _startsTaken > 0)
                {
                    _startsTaken++;
                    if (_spent is not null)
                    {
                        _spent = null;
                        LogBudgetRenewed(logger, snapshot.Info.SessionStartLimit.Remaining);
                    }

                    return;
                }

                spent = _spent is null
                    ? _spent = new IdentifyBudgetSpent(snapshot.Info.SessionStartLimit.Total, time.GetUtcNow(), snapshot.SessionStartResetAt)
                    : null;
            }

            if (spent is not null)
            {
                LogBudgetSpent(logger, spent.Total, shardId, spent.ResetAt);
            }

            var now = time.GetUtcNow();
            var wait = snapshot.SessionStartResetAt - now;
            await Task.Delay(wait > IdentifyPacing.SpentRecheck ? wait : IdentifyPacing.SpentRecheck, time, cancellationToken);
            await gatewayInfo.GetSnapshotAsync(snapshot.FetchedAt + TimeSpan.FromTicks(1), cancellationToken);
        }
    }

    private void GiveBack()
    {
        lock (_lock)
        {
            _startsTaken = Math.Max(0, _startsTaken - 1);
        }
    }

    private void MarkIdentified(int bucket)
    {
        lock (_lock)
        {
            _lastIdentified[bucket] = time.GetUtcNow();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord's session start budget ({Total} identifies a day) is spent: shard {ShardId}, and any other shard that must identify, waits until {ResetAt:u}. Each new session (a start, or a session Discord ended) spends one; resumes do not.")]
    private static partial void LogBudgetSpent(ILogger logger, int total, int shardId, DateTimeOffset resetAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord's session start budget is renewed: {Remaining} identifies left")]
    private static partial void LogBudgetRenewed(ILogger logger, int remaining);

    private sealed class Turn(InProcessIdentifyGate owner, SemaphoreSlim bucketGate, int bucket) : IIdentifyTurn
    {
        private int _done;

        public void Identified()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                owner.MarkIdentified(bucket);
                bucketGate.Release();
            }
        }

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                owner.GiveBack();
                bucketGate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
