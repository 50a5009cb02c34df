namespace NewsBot.Storage.Postgres;

/// <summary>
/// Leases as rows of <c>leases</c>: taking one is a single upsert whose WHERE lets it through only when the row is
/// ended or already the taker's, so two processes racing for a name cannot both win (the row lock serialises them).
/// Times are the processes' own clocks in Unix milliseconds: hosts must keep them in step (NTP), well within the margin
/// a holder keeps before its lease ends.
/// </summary>
public sealed class PostgresLeaseStore(PgConnections connections) : ILeaseStore
{
    public async Task<Lease> TakeAsync(string name, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var taken = await connection.QueryAsync(null, """
            INSERT INTO leases (name, owner, until_at) VALUES (@name, @owner, @until)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until_at = excluded.until_at
                WHERE leases.owner = excluded.owner OR leases.until_at < @now
            RETURNING name, owner, until_at
            """, Read, cancellationToken, ("name", name), ("owner", owner), ("until", until), ("now", now));
        if (taken.Count == 1)
        {
            return taken[0];
        }

        var holder = await connection.QueryAsync(null, "SELECT name, owner, until_at FROM leases WHERE name = @name", Read, cancellationToken, ("name", name));
        // Released between the two statements: free now, the caller's next attempt takes it.
        return holder.Count == 1 ? holder[0] : new Lease(name, "", now);
    }

    public async Task<IReadOnlySet<string>> RenewAsync(IReadOnlyCollection<string> names, string owner, DateTimeOffset until, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return new HashSet<string>();
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var renewed = await connection.QueryAsync(null,
            "UPDATE leases SET until_at = @until WHERE owner = @owner AND name = ANY(@names) RETURNING name",
            reader => reader.GetString(0), cancellationToken, ("until", until), ("owner", owner), ("names", names.ToArray()));
        return renewed.ToHashSet(StringComparer.Ordinal);
    }

    public async Task ReleaseAsync(IReadOnlyCollection<string> names, string owner, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, "DELETE FROM leases WHERE owner = @owner AND name = ANY(@names)", cancellationToken,
            ("owner", owner), ("names", names.ToArray()));
    }

    public async Task<IReadOnlyList<Lease>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // starts_with, not LIKE: a name may hold '_' or '%'.
        return await connection.QueryAsync(null, "SELECT name, owner, until_at FROM leases WHERE starts_with(name, @prefix) ORDER BY name",
            Read, cancellationToken, ("prefix", prefix));
    }

    private static Lease Read(System.Data.Common.DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
}
