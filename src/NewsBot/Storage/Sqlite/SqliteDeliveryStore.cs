using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using NewsBot.Model;
using NewsBot.Runtime;

namespace NewsBot.Storage.Sqlite;

/// <summary>The outbox: pending deliveries and what became of them.</summary>
public sealed class SqliteDeliveryStore(SqliteConnectionFactory connections, NewsBotMetrics metrics) : IDeliveryStore
{
    /// <summary>The oldest due rows of one platform's channels (each platform drains at its own pace).</summary>
    public async Task<IReadOnlyList<(Delivery Delivery, Channel Channel)>> ListDueAsync(Platform platform, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(
            """
            SELECT d.*, c.id AS c_id, c.platform, c.external_id, c.thread_id, c.group_id, c.name, c.max_posts_per_hour, c.quiet_start, c.quiet_end, c.time_zone, c.language, c.platform_locale, c.created_at AS c_created_at
            FROM deliveries d JOIN channels c ON c.id = d.channel_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= $now AND c.platform = $platform
            ORDER BY d.id
            LIMIT $limit
            """,
            r => (Rows.ReadDelivery(r), Rows.ReadChannel(r, idColumn: "c_id", createdColumn: "c_created_at")), cancellationToken, ("$now", now), ("$limit", limit), ("$platform", platform.ToKey()));
    }

    public async Task<DateTimeOffset?> NextDueAsync(Platform platform, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<long?>(
            null,
            "SELECT MIN(d.next_attempt_at) FROM deliveries d JOIN channels c ON c.id = d.channel_id WHERE d.status = 'pending' AND c.platform = $platform",
            cancellationToken,
            ("$platform", platform.ToKey())) is { } ms
            ? Rows.FromUnixMs(ms)
            : null;
    }

    public async Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<long>(null, "SELECT COUNT(*) FROM deliveries WHERE status = 'pending'", cancellationToken);
    }

    /// <summary>Posts (single or digest) each channel received since a time, the governor's count; one query for a batch's channels.</summary>
    public async Task<IReadOnlyDictionary<long, int>> CountPostsSinceAsync(IReadOnlyCollection<long> channelIds, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // A digest is one post however many rows it carried: count distinct message ids.
        var rows = await connection.QueryAsync(
            $"""
            SELECT channel_id, COUNT(DISTINCT platform_message_id) AS posts FROM deliveries
            WHERE channel_id IN ({Rows.IdList(channelIds)}) AND sent_at >= $since AND status IN ('sent', 'digested')
            GROUP BY channel_id
            """,
            r => (Channel: r.Int64("channel_id"), Posts: (int)r.Int64("posts")), cancellationToken, ("$since", since));
        return rows.ToDictionary(row => row.Channel, row => row.Posts);
    }

    public async Task MarkSentAsync(IReadOnlyList<long> ids, DeliveryStatus status, string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var planned = await connection.QueryAsync(null,
            $"UPDATE deliveries SET status = $status, platform_message_id = $message, sent_at = $now, attempts = attempts + 1, last_error = NULL WHERE id IN ({Rows.IdList(ids)}) RETURNING created_at",
            r => r.Time("created_at"), cancellationToken, ("$status", status), ("$message", messageId), ("$now", now));
        metrics.DeliveriesSettled(status == DeliveryStatus.Digested ? "digested" : "sent", planned.Count);
        foreach (var createdAt in planned)
        {
            metrics.DeliveryLatency(now - createdAt);
        }
    }

    /// <summary>
    /// A connection with the "sent" update prepared once, for the dispatcher's hot path: still one commit per delivery,
    /// without opening a connection and parsing SQL for each. Not thread-safe; the caller serialises its use.
    /// </summary>
    public async Task<ISentRecorder> OpenSentRecorderAsync(CancellationToken cancellationToken) =>
        new SentRecorder(await connections.OpenAsync(cancellationToken), metrics);

    public async Task MarkRetryAsync(IReadOnlyList<long> ids, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            $"UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = $next, last_error = $error WHERE id IN ({Rows.IdList(ids)})",
            cancellationToken, ("$next", nextAttemptAt), ("$error", error));
        metrics.DeliveriesSettled("retry", ids.Count);
    }

    /// <summary>Holds deliveries back without counting an attempt (governor, quiet hours, digest schedule).</summary>
    public async Task PostponeAsync(IReadOnlyList<long> ids, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync($"UPDATE deliveries SET next_attempt_at = $next WHERE id IN ({Rows.IdList(ids)})", cancellationToken, ("$next", until));
    }

    public async Task MarkFailedAsync(IReadOnlyList<long> ids, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            $"UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = $error WHERE id IN ({Rows.IdList(ids)})",
            cancellationToken, ("$error", error));
        metrics.DeliveriesSettled("failed", ids.Count);
    }

    /// <summary>Fails every pending delivery of a channel whose subscriptions were paused, so the outbox does not keep them forever.</summary>
    public async Task<int> FailPendingForChannelAsync(long channelId, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE deliveries SET status = 'failed', last_error = $error WHERE channel_id = $channel AND status = 'pending'",
            cancellationToken, ("$error", error), ("$channel", channelId));
    }

    public async Task<IReadOnlyList<Delivery>> ListForChannelAsync(long channelId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT * FROM deliveries WHERE channel_id = $channel ORDER BY id", Rows.ReadDelivery, cancellationToken, ("$channel", channelId));
    }
}

/// <summary>Marks one delivery sent per call, each its own commit (autocommit), with one prepared statement.</summary>
internal sealed class SentRecorder : ISentRecorder
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _update;

    private readonly NewsBotMetrics _metrics;

    internal SentRecorder(SqliteConnection connection, NewsBotMetrics metrics)
    {
        _connection = connection;
        _metrics = metrics;
        _update = connection.Command(
            "UPDATE deliveries SET status = 'sent', platform_message_id = $message, sent_at = $now, attempts = attempts + 1, last_error = NULL WHERE id = $id RETURNING created_at",
            ("$message", ""), ("$now", 0L), ("$id", 0L));
        _update.Prepare();
    }

    public async Task MarkSentAsync(long id, string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _update.Parameters["$message"].Value = messageId;
        _update.Parameters["$now"].Value = now.ToUnixMs();
        _update.Parameters["$id"].Value = id;
        if (await _update.ExecuteScalarAsync(cancellationToken) is long createdAt)
        {
            _metrics.DeliveriesSettled("sent", 1);
            _metrics.DeliveryLatency(now - Rows.FromUnixMs(createdAt));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _update.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
