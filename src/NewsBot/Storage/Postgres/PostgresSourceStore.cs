using NewsBot.Model;
using NewsBot.Runtime;

namespace NewsBot.Storage.Postgres;

/// <summary>Sources and their polling state.</summary>
public sealed class PostgresSourceStore(PgConnections connections, TimeProvider time, NewsBotMetrics metrics) : ISourceStore
{
    public async Task<(Source Source, bool Created)> AddAsync(string url, string? name, FullTextMode fullText, bool fromConfig, SourceKind kind, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(null,
            """
            INSERT INTO sources (url, name, kind, full_text, from_config, created_at, next_poll_at)
            VALUES (@url, @name, @kind, @fullText, @fromConfig, @now, 0)
            ON CONFLICT (url) DO NOTHING
            """,
            cancellationToken,
            ("url", url), ("name", name), ("kind", kind), ("fullText", fullText), ("fromConfig", fromConfig), ("now", time.GetUtcNow()));
        var source = await GetByUrlAsync(url, cancellationToken) ?? throw new InvalidOperationException("A source just written could not be read back.");
        if (inserted == 0 && fromConfig && (source.Name != name || source.FullText != fullText || !source.FromConfig))
        {
            // Configuration is the truth for configured sources: follow edits to name and mode.
            await connection.ExecuteAsync(null, "UPDATE sources SET name = @name, full_text = @fullText, from_config = TRUE WHERE id = @id",
                cancellationToken, ("name", name), ("fullText", fullText), ("id", source.Id));
            source = source with { Name = name, FullText = fullText, FromConfig = true };
        }

        return (source, inserted > 0);
    }

    public async Task<Source?> GetByConfigSlotAsync(int slot, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT * FROM sources WHERE config_slot = @slot AND from_config", cancellationToken, ("slot", (long)slot))).FirstOrDefault();

    public async Task SetConfigSlotAsync(long id, int slot, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            "UPDATE sources SET config_slot = CASE WHEN id = @id THEN @slot END WHERE id = @id OR config_slot = @slot",
            cancellationToken, ("id", id), ("slot", (long)slot));
    }

    public async Task MoveAsync(long id, string url, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            """
            UPDATE sources SET url = @url, title = NULL, site_url = NULL, etag = NULL, last_modified = NULL, last_polled_at = NULL,
                next_poll_at = 0, consecutive_failures = 0, last_error = NULL, last_error_at = NULL, disabled_reason = NULL
            WHERE id = @id
            """,
            cancellationToken, ("url", url), ("id", id));
    }

    public async Task<IReadOnlyList<Source>> RetireUnconfiguredAsync(IReadOnlyCollection<string> configuredUrls, string reason, CancellationToken cancellationToken)
    {
        var retired = (await QueryAsync("SELECT * FROM sources WHERE from_config", cancellationToken)).Where(s => !configuredUrls.Contains(s.Url)).ToList();
        await using var connection = await connections.OpenAsync(cancellationToken);
        foreach (var source in retired)
        {
            await connection.ExecuteAsync(null,
                "UPDATE sources SET from_config = FALSE, config_slot = NULL, disabled_reason = COALESCE(disabled_reason, @reason) WHERE id = @id",
                cancellationToken, ("reason", reason), ("id", source.Id));
        }

        return retired;
    }

    public async Task SetKindAsync(long id, SourceKind kind, string? linkPattern, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, "UPDATE sources SET kind = @kind, link_pattern = @pattern::text WHERE id = @id", cancellationToken,
            ("kind", kind), ("pattern", linkPattern), ("id", id));
    }

    public async Task<Source?> GetAsync(long id, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT * FROM sources WHERE id = @id", cancellationToken, ("id", id))).SingleOrDefault();

    public async Task<Source?> GetByUrlAsync(string url, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT * FROM sources WHERE url = @url", cancellationToken, ("url", url))).SingleOrDefault();

    public async Task<IReadOnlyDictionary<long, string>> GetDisplayNamesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? new Dictionary<long, string>()
            : (await QueryAsync($"SELECT * FROM sources WHERE id IN ({Rows.IdList(ids)})", cancellationToken)).ToDictionary(s => s.Id, s => s.DisplayName);

    public async Task<IReadOnlyList<Source>> ListAsync(CancellationToken cancellationToken) =>
        await QueryAsync("SELECT * FROM sources ORDER BY id", cancellationToken);

    public async Task<SourceStateCounts> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync(null,
            """
            SELECT COUNT(*)::int,
                   (COUNT(*) FILTER (WHERE NOT paused AND disabled_reason IS NULL AND consecutive_failures > 0))::int,
                   (COUNT(*) FILTER (WHERE disabled_reason IS NOT NULL))::int,
                   (COUNT(*) FILTER (WHERE paused AND disabled_reason IS NULL))::int
            FROM sources
            """,
            r => new SourceStateCounts(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3)), cancellationToken);
        return rows[0];
    }

    public async Task<IReadOnlyList<Source>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await QueryAsync(
            """
            SELECT * FROM sources
            WHERE next_poll_at <= @now AND NOT paused AND disabled_reason IS NULL
            ORDER BY next_poll_at, id
            LIMIT @limit
            """,
            cancellationToken, ("now", now), ("limit", limit));

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var next = await connection.ScalarAsync<long?>(null, "SELECT MIN(next_poll_at) FROM sources WHERE NOT paused AND disabled_reason IS NULL", cancellationToken);
        return next is { } ms ? Rows.FromUnixMs(ms) : null;
    }

    public async Task MarkPolledAsync(long id, SourcePollSuccess success, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            """
            UPDATE sources SET
                etag = @etag::text, last_modified = @lastModified::text, last_polled_at = @now, next_poll_at = @next,
                consecutive_failures = 0, last_error = NULL,
                title = COALESCE(@title::text, title), site_url = COALESCE(@siteUrl::text, site_url),
                url = COALESCE(@movedTo::text, url)
            WHERE id = @id
            """,
            cancellationToken,
            ("etag", success.ETag), ("lastModified", success.LastModified), ("now", success.PolledAt), ("next", success.NextPollAt),
            ("title", success.Title), ("siteUrl", success.SiteUrl), ("movedTo", success.MovedTo), ("id", id));
        metrics.SourcePolled("ok");
    }

    public async Task<bool> MarkFailedAsync(long id, string error, DateTimeOffset nextPollAt, string? disableReason, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(null,
            """
            UPDATE sources SET
                last_polled_at = @now, next_poll_at = @next, consecutive_failures = consecutive_failures + 1,
                last_error = @error, last_error_at = @now,
                disabled_reason = COALESCE(disabled_reason, @disable::text)
            WHERE id = @id AND (@disable::text IS NULL OR disabled_reason IS NULL)
            """,
            cancellationToken,
            ("now", time.GetUtcNow()), ("next", nextPollAt), ("error", error), ("disable", disableReason), ("id", id));
        var disabled = disableReason is not null && changed > 0;
        metrics.SourcePolled(disabled ? "disabled" : "failed");
        return disabled;
    }

    public async Task<bool> SetPausedAsync(long id, bool paused, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(null,
            paused
                ? "UPDATE sources SET paused = TRUE WHERE id = @id"
                : "UPDATE sources SET paused = FALSE, disabled_reason = NULL, consecutive_failures = 0, next_poll_at = 0 WHERE id = @id",
            cancellationToken, ("id", id)) > 0;
    }

    public async Task<SourceRemoval?> RemoveAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var articles = await connection.ScalarAsync<long>(transaction, "SELECT COUNT(*) FROM articles WHERE source_id = @id", cancellationToken, ("id", id));
        var subscriptions = await connection.ScalarAsync<long>(transaction, "SELECT COUNT(*) FROM subscriptions WHERE source_id = @id", cancellationToken, ("id", id));
        var removed = await connection.ExecuteAsync(transaction, "DELETE FROM sources WHERE id = @id", cancellationToken, ("id", id)) > 0;
        await transaction.CommitAsync(cancellationToken);
        return removed ? new SourceRemoval(articles, subscriptions) : null;
    }

    private async Task<List<Source>> QueryAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null, sql, Rows.ReadSource, cancellationToken, parameters);
    }
}
