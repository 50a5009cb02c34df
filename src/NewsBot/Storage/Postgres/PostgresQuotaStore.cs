namespace NewsBot.Storage.Postgres;

/// <summary>
/// Quotas as rows of <c>quotas</c>. The refill and the take are single statements: the upsert folds the platform's
/// figure in (a new period replaces the count, the same period only lowers it), and the take decrements only while
/// something is left, so concurrent takers from every process never drive it below zero.
/// </summary>
public sealed class PostgresQuotaStore(PgConnections connections) : IQuotaStore
{
    public async Task<QuotaTake> TakeAsync(string name, int platformRemaining, DateTimeOffset platformResetAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, """
            INSERT INTO quotas (name, remaining, reset_at) VALUES (@name, @remaining, @reset)
            ON CONFLICT (name) DO UPDATE SET
                remaining = CASE WHEN quotas.reset_at <= @now THEN excluded.remaining ELSE LEAST(quotas.remaining, excluded.remaining) END,
                reset_at = CASE WHEN quotas.reset_at <= @now THEN excluded.reset_at ELSE quotas.reset_at END
                WHERE excluded.reset_at > @now
            """, cancellationToken, ("name", name), ("remaining", (long)platformRemaining), ("reset", platformResetAt), ("now", now));
        var taken = await connection.ScalarAsync<long?>(null,
            "UPDATE quotas SET remaining = remaining - 1 WHERE name = @name AND remaining > 0 AND reset_at > @now RETURNING reset_at",
            cancellationToken, ("name", name), ("now", now));
        if (taken is { } resetAt)
        {
            return new QuotaTake(true, DateTimeOffset.FromUnixTimeMilliseconds(resetAt));
        }

        var period = await connection.ScalarAsync<long?>(null, "SELECT reset_at FROM quotas WHERE name = @name", cancellationToken, ("name", name));
        return new QuotaTake(false, period is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : platformResetAt);
    }

    public async Task GiveBackAsync(string name, DateTimeOffset resetAt, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, "UPDATE quotas SET remaining = remaining + 1 WHERE name = @name AND reset_at = @reset",
            cancellationToken, ("name", name), ("reset", resetAt));
    }
}
