namespace NewsBot.Runtime;

/// <summary>A running process of this bot as the others see it: who it is and when it last said it was alive.</summary>
public sealed record ClusterMember(string Id, string Host, string Version, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt, IReadOnlyList<string> Holds);

/// <summary>
/// The processes of this bot that are alive now, for dividing work fairly (shards, roles) and for /status. A process
/// on its own is the only member (<see cref="SoleProcessMembership"/>); a cluster lists every process whose heartbeat
/// is recent enough.
/// </summary>
public interface IClusterMembership
{
    Task<IReadOnlyList<ClusterMember>> ListLiveAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Something a process holds that other processes must not take while it lives (shards, a role, leased sources or
/// deliveries), described in a few words for /status, e.g. "shards 0, 2" or "telegram receiver".
/// </summary>
public interface IClusterHoldings
{
    IEnumerable<string> Describe();
}

/// <summary>A process on its own: it is the whole bot.</summary>
public sealed class SoleProcessMembership(ProcessIdentity self, TimeProvider time, IEnumerable<IClusterHoldings> holdings) : IClusterMembership
{
    public Task<IReadOnlyList<ClusterMember>> ListLiveAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ClusterMember>>(
            [new ClusterMember(self.Id, self.Host, self.Version, self.StartedAt, time.GetUtcNow(), [.. holdings.SelectMany(h => h.Describe())])]);
}
