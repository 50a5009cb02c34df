using NewsBot.Runtime;

namespace NewsBot.Storage;

/// <summary>
/// The running processes of the bot, one row each: who it is, when it last said it was alive, what it holds. Written
/// by each process's heartbeat (<see cref="ClusterHeartbeatService"/>), read for membership and status.
/// </summary>
public interface IProcessStore
{
    /// <summary>Writes <paramref name="member"/>'s row (inserted on the first beat), and forgets rows whose last beat is before <paramref name="forgetBefore"/>.</summary>
    Task BeatAsync(ClusterMember member, DateTimeOffset forgetBefore, CancellationToken cancellationToken);

    /// <summary>Removes a process's row: it stopped cleanly, the others need not wait for its heartbeat to lapse.</summary>
    Task RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>The processes that beat at or after <paramref name="aliveSince"/>, oldest first.</summary>
    Task<IReadOnlyList<ClusterMember>> ListAliveAsync(DateTimeOffset aliveSince, CancellationToken cancellationToken);
}
