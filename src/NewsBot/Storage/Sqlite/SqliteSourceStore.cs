using Microsoft.Data.Sqlite;
using NewsBot.Model;
using NewsBot.Runtime;

namespace NewsBot.Storage.Sqlite;

/// <summary>Sources and their polling state.</summary>
public sealed class SqliteSourceStore(SqliteConnectionFactory connections, TimeProvider time, NewsBotMetrics metrics) : ISourceStore
{
    /// <summary>Adds a source, or returns the existing one with that URL. <paramref name="created"/> says which.</summary>
    public async Task<(Source Source, bool Created)> AddAsync(string url, string? name, FullTextMode fullText, bool fromConfig, SourceKind kind, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(
            """
            INSERT INTO sources (url, name, kind, full_text, from_config, created_at, next_poll_at)
            VALUES ($url, $name, $kind, $fullText, $fromConfig, $now, 0)
            ON CONFLICT (url) DO NOTHING
            """,
            cancellationToken,
            ("$url", url), ("$name", name), ("$kind", kind), ("$fullText", fullText), ("$fromConfig", fromConfig), ("$now", time.GetUtcNow()));
        var source = await GetByUrlAsync(url, cancellationToken) ?? throw new InvalidOperationException("A source just written could not be read back.");
        if (inserted == 0 && fromConfig && (source.Name != name || source.FullText != fullText || !source.FromConfig))
        {
            // Configuration is the truth for configured sources: follow edits to name and mode.
            await connection.ExecuteAsync(
                "UPDATE sources SET name = $name, full_text = $fullText, from_config = 1 WHERE id = $id",
                cancellationToken, ("$name", name), ("$fullText", fullText), ("$id", source.Id));
            source = source with { Name = name, FullText = fullText, FromConfig = true };
        }

        return (source, inserted > 0);
    }

    /// <summary>The configured source that held position <paramref name="slot"/> of NewsBot:Feeds:Sources at the last start.</summary>
    public async Task<Source?> GetByConfigSlotAsync(int slot, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync("SELECT * FROM sources WHERE config_slot = $slot AND from_config = 1", Rows.ReadSource, cancellationToken, ("$slot", slot));
        return rows.FirstOrDefault();
    }

    /// <summary>Records that the source holds position <paramref name="slot"/> of NewsBot:Feeds:Sources (and no other source does).</summary>
    public async Task SetConfigSlotAsync(long id, int slot, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE sources SET config_slot = CASE WHEN id = $id THEN $slot END WHERE id = $id OR config_slot = $slot",
            cancellationToken, ("$id", id), ("$slot", slot));
    }

    /// <summary>
    /// Points a source at a new URL. Everything learnt from the old one (validators, title, failures, the first-read
    /// mark) is reset, so the new feed is read as new: its newest items are backfilled, nothing posted is posted again.
    /// </summary>
    public async Task MoveAsync(long id, string url, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            UPDATE sources SET url = $url, title = NULL, site_url = NULL, etag = NULL, last_modified = NULL, last_polled_at = NULL,
                next_poll_at = 0, consecutive_failures = 0, last_error = NULL, last_error_at = NULL, disabled_reason = NULL
            WHERE id = $id
            """,
            cancellationToken, ("$url", url), ("$id", id));
    }

    /// <summary>
    /// Stops the configured sources whose URL is no longer configured: disabled with the reason, no longer counted
    /// as configured (so /source remove deletes them). Returns the ones stopped now.
    /// </summary>
    public async Task<IReadOnlyList<Source>> RetireUnconfiguredAsync(IReadOnlyCollection<string> configuredUrls, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var retired = (await connection.QueryAsync("SELECT * FROM sources WHERE from_config = 1", Rows.ReadSource, cancellationToken))
            .Where(s => !configuredUrls.Contains(s.Url))
            .ToList();
        foreach (var source in retired)
        {
            await connection.ExecuteAsync(
                "UPDATE sources SET from_config = 0, config_slot = NULL, disabled_reason = COALESCE(disabled_reason, $reason) WHERE id = $id",
                cancellationToken, ("$reason", reason), ("$id", source.Id));
        }

        return retired;
    }

    /// <summary>How a source is read: a feed, or an index page whose article links (matching the pattern, when given) become items.</summary>
    public async Task SetKindAsync(long id, SourceKind kind, string? linkPattern, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE sources SET kind = $kind, link_pattern = $pattern WHERE id = $id", cancellationToken,
            ("$kind", kind), ("$pattern", linkPattern), ("$id", id));
    }

    public async Task<Source?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync("SELECT * FROM sources WHERE id = $id", Rows.ReadSource, cancellationToken, ("$id", id));
        return rows.SingleOrDefault();
    }

    public async Task<Source?> GetByUrlAsync(string url, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync("SELECT * FROM sources WHERE url = $url", Rows.ReadSource, cancellationToken, ("$url", url));
        return rows.SingleOrDefault();
    }

    /// <summary>The display names of some sources (a post's byline), without reading every source.</summary>
    public async Task<IReadOnlyDictionary<long, string>> GetDisplayNamesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<long, string>();
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync($"SELECT * FROM sources WHERE id IN ({Rows.IdList(ids)})", Rows.ReadSource, cancellationToken);
        return rows.ToDictionary(s => s.Id, s => s.DisplayName);
    }

    public async Task<IReadOnlyList<Source>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT * FROM sources ORDER BY id", Rows.ReadSource, cancellationToken);
    }

    /// <summary>All sources, and how many are failing (polled, last poll failed), disabled and paused: one row, for /healthz.</summary>
    public async Task<SourceStateCounts> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            """
            SELECT COUNT(*),
                   COALESCE(SUM(paused = 0 AND disabled_reason IS NULL AND consecutive_failures > 0), 0),
                   COALESCE(SUM(disabled_reason IS NOT NULL), 0),
                   COALESCE(SUM(paused = 1 AND disabled_reason IS NULL), 0)
            FROM sources
            """,
            r => new SourceStateCounts(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3)), cancellationToken);
        return rows[0];
    }

    /// <summary>Sources whose next poll is due, soonest first; paused and disabled ones are left alone.</summary>
    public async Task<IReadOnlyList<Source>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(
            """
            SELECT * FROM sources
            WHERE next_poll_at <= $now AND paused = 0 AND disabled_reason IS NULL
            ORDER BY next_poll_at, id
            LIMIT $limit
            """,
            Rows.ReadSource, cancellationToken, ("$now", now), ("$limit", limit));
    }

    /// <summary>When the next source falls due, or null when none is active.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var next = await connection.ScalarAsync<long?>(null, "SELECT MIN(next_poll_at) FROM sources WHERE paused = 0 AND disabled_reason IS NULL", cancellationToken);
        return next is { } ms ? Rows.FromUnixMs(ms) : null;
    }

    public async Task MarkPolledAsync(long id, SourcePollSuccess success, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            UPDATE sources SET
                etag = $etag, last_modified = $lastModified, last_polled_at = $now, next_poll_at = $next,
                consecutive_failures = 0, last_error = NULL,
                title = COALESCE($title, title), site_url = COALESCE($siteUrl, site_url),
                url = COALESCE($movedTo, url)
            WHERE id = $id
            """,
            cancellationToken,
            ("$etag", success.ETag), ("$lastModified", success.LastModified), ("$now", success.PolledAt), ("$next", success.NextPollAt),
            ("$title", success.Title), ("$siteUrl", success.SiteUrl), ("$movedTo", success.MovedTo), ("$id", id));
        metrics.SourcePolled("ok");
    }

    /// <summary>Records a failed poll. Returns true when this failure disabled the source.</summary>
    public async Task<bool> MarkFailedAsync(long id, string error, DateTimeOffset nextPollAt, string? disableReason, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            """
            UPDATE sources SET
                last_polled_at = $now, next_poll_at = $next, consecutive_failures = consecutive_failures + 1,
                last_error = $error, last_error_at = $now,
                disabled_reason = COALESCE(disabled_reason, $disable)
            WHERE id = $id AND ($disable IS NULL OR disabled_reason IS NULL)
            """,
            cancellationToken,
            ("$now", time.GetUtcNow()), ("$next", nextPollAt), ("$error", error), ("$disable", disableReason), ("$id", id));
        var disabled = disableReason is not null && changed > 0;
        metrics.SourcePolled(disabled ? "disabled" : "failed");
        return disabled;
    }

    /// <summary>Pauses or resumes a source; resuming also clears a disabled state and polls at once.</summary>
    public async Task<bool> SetPausedAsync(long id, bool paused, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            paused
                ? "UPDATE sources SET paused = 1 WHERE id = $id"
                : "UPDATE sources SET paused = 0, disabled_reason = NULL, consecutive_failures = 0, next_poll_at = 0 WHERE id = $id",
            cancellationToken, ("$id", id)) > 0;
    }

    /// <summary>
    /// Deletes a source with its articles and subscriptions (what each channel was given stays known, so adding the
    /// source back posts none of it again). Returns what was deleted, or null when there was no such source.
    /// </summary>
    public async Task<SourceRemoval?> RemoveAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var articles = await connection.ScalarAsync<long>(transaction, "SELECT COUNT(*) FROM articles WHERE source_id = $id", cancellationToken, ("$id", id));
        var subscriptions = await connection.ScalarAsync<long>(transaction, "SELECT COUNT(*) FROM subscriptions WHERE source_id = $id", cancellationToken, ("$id", id));
        var removed = await transaction.ExecuteAsync("DELETE FROM sources WHERE id = $id", cancellationToken, ("$id", id)) > 0;
        await transaction.CommitAsync(cancellationToken);
        return removed ? new SourceRemoval(articles, subscriptions) : null;
    }
}
