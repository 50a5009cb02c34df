using NewsBot.Runtime;

namespace NewsBot.Storage.Postgres;

/// <summary>The processes table (cluster membership).</summary>
public sealed class PostgresProcessStore(PgConnections connections) : IProcessStore
{
    public async Task BeatAsync(ClusterMember member, DateTimeOffset forgetBefore, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            """
            INSERT INTO processes (id, host, version, started_at, heartbeat_at, holds)
            VALUES (@id, @host, @version, @startedAt, @heartbeatAt, @holds::text)
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at, holds = EXCLUDED.holds;
            DELETE FROM processes WHERE heartbeat_at < @forgetBefore;
            """,
            cancellationToken,
            ("id", member.Id), ("host", member.Host), ("version", member.Version), ("startedAt", member.StartedAt),
            ("heartbeatAt", member.HeartbeatAt), ("holds", Rows.JoinLines(member.Holds)), ("forgetBefore", forgetBefore));
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, "DELETE FROM processes WHERE id = @id", cancellationToken, ("id", id));
    }

    public async Task<IReadOnlyList<ClusterMember>> ListAliveAsync(DateTimeOffset aliveSince, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null,
            "SELECT * FROM processes WHERE heartbeat_at >= @aliveSince ORDER BY started_at, id",
            Rows.ReadMember, cancellationToken, ("aliveSince", aliveSince));
    }
}
