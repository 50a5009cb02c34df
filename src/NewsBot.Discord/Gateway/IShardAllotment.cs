using System.Runtime.CompilerServices;

namespace NewsBot.Discord.Gateway;

/// <summary>
/// Which of the planned shards this process runs, and when it must hand one over. A process on its own runs every
/// shard of its selection for as long as it lives (<see cref="FixedShardAllotment"/>); a cluster leases shards so that
/// each is run by exactly one process, hands surplus shards over when processes join and takes the shards of a process
/// that died (NewsBot's LeasedShardAllotment).
/// </summary>
public interface IShardAllotment
{
    /// <summary>
    /// Yields a <see cref="ShardGrant"/> each time this process may start a shard of <paramref name="selection"/>, until
    /// cancelled. The shard runs until <see cref="ShardGrant.Revoked"/>; the runner calls <see cref="ShardGrant.Stopped"/>
    /// once it has stopped (its session saved), and only then may another process have it.
    /// </summary>
    IAsyncEnumerable<ShardGrant> GrantAsync(ShardSelection selection, CancellationToken cancellationToken);
}

/// <summary>The right to run one shard, from <see cref="IShardAllotment.GrantAsync"/>.</summary>
public sealed class ShardGrant(int shardId, CancellationToken revoked)
{
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int ShardId { get; } = shardId;

    /// <summary>Cancelled when the shard must stop: handed to another process, or its lease lost.</summary>
    public CancellationToken Revoked { get; } = revoked;

    /// <summary>Completes once the runner has stopped the shard.</summary>
    public Task WhenStopped => _stopped.Task;

    public void Stopped() => _stopped.TrySetResult();
}

/// <summary>Every shard of the selection, for the life of the process.</summary>
public sealed class FixedShardAllotment : IShardAllotment
{
    public async IAsyncEnumerable<ShardGrant> GrantAsync(ShardSelection selection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var id in selection.Ids)
        {
            yield return new ShardGrant(id, CancellationToken.None);
        }

        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
    }
}

/// <summary>What the owner of the shards does around each run of a shard: restore and save its session, read its events.</summary>
public interface IShardLifecycle
{
    /// <summary>Before the shard connects.</summary>
    Task StartingAsync(DiscordGatewayClient shard, CancellationToken cancellationToken);

    /// <summary>After it stopped (revoked, cancelled or fatal); must not throw.</summary>
    Task StoppedAsync(DiscordGatewayClient shard);
}
