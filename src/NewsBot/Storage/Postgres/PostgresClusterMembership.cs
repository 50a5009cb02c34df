using Microsoft.Extensions.Options;
using NewsBot.Runtime;

namespace NewsBot.Storage.Postgres;

/// <summary>Cluster mode's membership: every process whose heartbeat is within NewsBot:Cluster:DeadAfter.</summary>
public sealed class PostgresClusterMembership(IProcessStore processes, IOptions<ClusterOptions> options, TimeProvider time) : IClusterMembership
{
    public Task<IReadOnlyList<ClusterMember>> ListLiveAsync(CancellationToken cancellationToken) =>
        processes.ListAliveAsync(time.GetUtcNow() - options.Value.DeadAfter, cancellationToken);
}
