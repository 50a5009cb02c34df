using NewsBot.Model;

namespace NewsBot.Storage.Postgres;

/// <summary>Host leases of feed polling in the poll_leases table; a lease counts while its owner's processes row is alive.</summary>
public sealed class PostgresPollLeaseStore(PgConnections connections) : IPollLeaseStore
{
    public async Task<IReadOnlyList<Source>?> ClaimHostAsync(string host, IReadOnlyList<Source> due, string owner, DateTimeOffset now, DateTimeOffset ownerAliveSince, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // ON CONFLICT DO UPDATE locks the existing row and judges its latest version: of two processes claiming one
        // host at once, the second sees the first's lease and gets nothing.
        var claimed = await connection.ScalarAsync<string>(null,
            """
            INSERT INTO poll_leases (host, owner, taken_at) VALUES (@host, @owner, @now)
            ON CONFLICT (host) DO UPDATE SET owner = EXCLUDED.owner, taken_at = EXCLUDED.taken_at
            WHERE poll_leases.owner = EXCLUDED.owner
               OR NOT EXISTS (SELECT 1 FROM processes p WHERE p.id = poll_leases.owner AND p.heartbeat_at >= @aliveSince)
            RETURNING host
            """,
            cancellationToken, ("host", host), ("owner", owner), ("now", now), ("aliveSince", ownerAliveSince));
        if (claimed is null)
        {
            return null;
        }

        // A statement of its own, so it reads what the previous holder committed before it released the host.
        return await connection.QueryAsync(null,
            """
            SELECT * FROM sources
            WHERE id = ANY(@ids) AND next_poll_at <= @now AND NOT paused AND disabled_reason IS NULL
            ORDER BY next_poll_at, id
            """,
            Rows.ReadSource, cancellationToken, ("ids", due.Select(s => s.Id).ToArray()), ("now", now));
    }

    public async Task ReleaseHostAsync(string host, string owner, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, "DELETE FROM poll_leases WHERE host = @host AND owner = @owner", cancellationToken, ("host", host), ("owner", owner));
    }
}
