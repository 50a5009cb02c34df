using NewsBot.Model;

namespace NewsBot.Storage.Postgres;

/// <summary>Channels: where posts go, with their governor settings.</summary>
public sealed class PostgresChannelStore(PgConnections connections, TimeProvider time) : IChannelStore
{
    public async Task<Channel> GetOrAddAsync(Platform platform, string externalId, string? threadId, string? name, string? groupId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync(null,
            """
            INSERT INTO channels (platform, external_id, thread_id, group_id, name, created_at)
            VALUES (@platform, @external, @thread, @group::text, @name::text, @now)
            ON CONFLICT (platform, external_id, thread_id) DO UPDATE SET
                name = COALESCE(excluded.name, channels.name), group_id = COALESCE(excluded.group_id, channels.group_id)
            RETURNING *
            """,
            Rows.ReadChannel, cancellationToken,
            ("platform", platform.ToKey()), ("external", externalId), ("thread", threadId ?? ""), ("group", groupId), ("name", name), ("now", time.GetUtcNow()));
        return rows.Single();
    }

    public async Task<Channel?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync(null, "SELECT * FROM channels WHERE id = @id", Rows.ReadChannel, cancellationToken, ("id", id))).SingleOrDefault();
    }

    public async Task<IReadOnlyList<Channel>> ListAsync(Platform platform, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null, "SELECT * FROM channels WHERE platform = @platform ORDER BY id", Rows.ReadChannel, cancellationToken, ("platform", platform.ToKey()));
    }

    public async Task UpdateSettingsAsync(long id, int maxPostsPerHour, TimeOnly? quietStart, TimeOnly? quietEnd, string timeZone, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            "UPDATE channels SET max_posts_per_hour = @max, quiet_start = @start::text, quiet_end = @end::text, time_zone = @zone WHERE id = @id",
            cancellationToken, ("max", (long)maxPostsPerHour), ("start", quietStart?.ToString("HH:mm")), ("end", quietEnd?.ToString("HH:mm")), ("zone", timeZone), ("id", id));
    }

    public Task SetLanguageAsync(long id, string? language, CancellationToken cancellationToken) =>
        SetAsync("UPDATE channels SET language = @value::text WHERE id = @id", id, language, cancellationToken);

    public Task SetPlatformLocaleAsync(long id, string locale, CancellationToken cancellationToken) =>
        SetAsync("UPDATE channels SET platform_locale = @value::text WHERE id = @id", id, locale, cancellationToken);

    private async Task SetAsync(string sql, long id, string? value, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, sql, cancellationToken, ("value", value), ("id", id));
    }

    public async Task MoveAsync(long id, string newExternalId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, "UPDATE channels SET external_id = @external WHERE id = @id", cancellationToken, ("external", newExternalId), ("id", id));
    }
}
