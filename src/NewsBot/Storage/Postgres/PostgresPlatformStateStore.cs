namespace NewsBot.Storage.Postgres;

/// <summary>Small per-platform values that must survive a restart: gateway session, Telegram update offset, command hash.</summary>
public sealed class PostgresPlatformStateStore(PgConnections connections) : IPlatformStateStore
{
    public async Task<string?> GetAsync(string platform, string key, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<string>(null, "SELECT value FROM platform_state WHERE platform = @platform AND key = @key", cancellationToken,
            ("platform", platform), ("key", key));
    }

    public async Task SetAsync(string platform, string key, string value, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            "INSERT INTO platform_state (platform, key, value) VALUES (@platform, @key, @value) ON CONFLICT (platform, key) DO UPDATE SET value = excluded.value",
            cancellationToken, ("platform", platform), ("key", key), ("value", value));
    }
}
