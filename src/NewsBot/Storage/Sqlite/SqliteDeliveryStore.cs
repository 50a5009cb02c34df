using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NewsBot.Model;
using NewsBot.Runtime;

namespace NewsBot.Storage.Sqlite;

/// <summary>The outbox: pending deliveries and what became of them.</summary>
public sealed class SqliteDeliveryStore(SqliteConnectionFactory connections, NewsBotMetrics metrics) : IDeliveryStore
{
    /// <summary>A channel another process may take: nobody holds it, the lease ran out, or its holder is not alive (and not the claimer).</summary>
    private const string Free =
        "(c.delivery_owner IS NULL OR c.delivery_claimed_until <= $now OR (c.delivery_owner <> $owner AND c.delivery_owner NOT IN (SELECT value FROM json_each($live))))";

    /// <summary>One write transaction: take the channels of the oldest due rows that are free, then read their due rows.</summary>
    public async Task<IReadOnlyList<(Delivery Delivery, Channel Channel)>> ClaimDueAsync(Platform platform, DeliveryClaim claim, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var parameters = ClaimParameters(platform, claim, limit);
        var channels = await connection.QueryAsync(transaction,
            $"""
            UPDATE channels SET delivery_owner = $owner, delivery_claimed_until = $until
            WHERE id IN (
                SELECT d.channel_id FROM deliveries d JOIN channels c ON c.id = d.channel_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= $now AND c.platform = $platform AND {Free}
                ORDER BY d.id
                LIMIT $limit)
            RETURNING id
            """,
            r => r.GetInt64(0), cancellationToken, parameters);
        if (channels.Count == 0)
        {
            return [];
        }

        var due = await connection.QueryAsync(transaction,
            $"""
            SELECT d.*, c.id AS c_id, c.platform, c.external_id, c.thread_id, c.group_id, c.name, c.max_posts_per_hour, c.quiet_start, c.quiet_end, c.time_zone, c.language, c.platform_locale, c.created_at AS c_created_at
            FROM deliveries d JOIN channels c ON c.id = d.channel_id
            WHERE d.channel_id IN ({Rows.IdList(channels)}) AND d.status = 'pending' AND d.next_attempt_at <= $now
            ORDER BY d.id
            LIMIT $limit
            """,
            r => (Rows.ReadDelivery(r), Rows.ReadChannel(r, idColumn: "c_id", createdColumn: "c_created_at")), cancellationToken, parameters);
        await transaction.CommitAsync(cancellationToken);
        return due;
    }

    public async Task<DateTimeOffset?> NextDueAsync(Platform platform, DeliveryClaim claim, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<long?>(
            null,
            $"""
            SELECT MIN(CASE WHEN {Free} THEN d.next_attempt_at ELSE max(d.next_attempt_at, c.delivery_claimed_until) END)
            FROM deliveries d JOIN channels c ON c.id = d.channel_id
            WHERE d.status = 'pending' AND c.platform = $platform
            """,
            cancellationToken,
            ClaimParameters(platform, claim, 0)) is { } ms
            ? Rows.FromUnixMs(ms)
            : null;
    }

    public async Task RenewClaimsAsync(string owner, IReadOnlyCollection<long> channelIds, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            $"UPDATE channels SET delivery_claimed_until = $until WHERE delivery_owner = $owner AND id IN ({Rows.IdList(channelIds)})",
            cancellationToken, ("$owner", owner), ("$until", until));
    }

    public async Task ReleaseClaimsAsync(string owner, IReadOnlyCollection<long>? channelIds, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var only = channelIds is null ? "" : $" AND id IN ({Rows.IdList(channelIds)})";
        await connection.ExecuteAsync(
            $"UPDATE channels SET delivery_owner = NULL, delivery_claimed_until = NULL WHERE delivery_owner = $owner{only}",
            cancellationToken, ("$owner", owner));
    }

    private static (string, object?)[] ClaimParameters(Platform platform, DeliveryClaim claim, int limit) =>
    [
        ("$owner", claim.Owner), ("$now", claim.Now), ("$until", claim.Until), ("$platform", platform.ToKey()), ("$limit", limit),
        ("$live", JsonSerializer.Serialize(claim.LiveOwners)),
    ];

    /// <summary>The fence of every state update: the row's channel is still claimed by the updating process.</summary>
    internal const string Claimed = "EXISTS (SELECT 1 FROM channels c WHERE c.id = deliveries.channel_id AND c.delivery_owner = $owner)";

    public async Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<long>(null, "SELECT COUNT(*) FROM deliveries WHERE status = 'pending'", cancellationToken);
    }

    public async Task<ILookup<long, DateTimeOffset>> RecentPostsAsync(IReadOnlyCollection<long> channelIds, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // A digest is one post however many rows it carried: one time per message id.
        var rows = await connection.QueryAsync(
            $"""
            SELECT channel_id, MIN(sent_at) AS sent_at FROM deliveries
            WHERE channel_id IN ({Rows.IdList(channelIds)}) AND sent_at >= $since AND status IN ('sent', 'digested')
            GROUP BY channel_id, platform_message_id
            ORDER BY 2
            """,
            r => (Channel: r.Int64("channel_id"), SentAt: r.Time("sent_at")), cancellationToken, ("$since", since));
        return rows.ToLookup(row => row.Channel, row => row.SentAt);
    }

    public async Task MarkSentAsync(string owner, IReadOnlyList<long> ids, DeliveryStatus status, string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var planned = await connection.QueryAsync(null,
            $"UPDATE deliveries SET status = $status, platform_message_id = $message, sent_at = $now, attempts = attempts + 1, last_error = NULL WHERE id IN ({Rows.IdList(ids)}) AND {Claimed} RETURNING created_at",
            r => r.Time("created_at"), cancellationToken, ("$status", status), ("$message", messageId), ("$now", now), ("$owner", owner));
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
    public async Task<ISentRecorder> OpenSentRecorderAsync(string owner, CancellationToken cancellationToken) =>
        new SentRecorder(await connections.OpenAsync(cancellationToken), owner, metrics);

    public async Task MarkRetryAsync(string owner, IReadOnlyList<long> ids, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            $"UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = $next, last_error = $error WHERE id IN ({Rows.IdList(ids)}) AND {Claimed}",
            cancellationToken, ("$next", nextAttemptAt), ("$error", error), ("$owner", owner));
        metrics.DeliveriesSettled("retry", ids.Count);
    }

    /// <summary>Holds deliveries back without counting an attempt (governor, quiet hours, digest schedule).</summary>
    public async Task PostponeAsync(string owner, IReadOnlyList<long> ids, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync($"UPDATE deliveries SET next_attempt_at = $next WHERE id IN ({Rows.IdList(ids)}) AND {Claimed}", cancellationToken, ("$next", until), ("$owner", owner));
    }

    public async Task MarkFailedAsync(string owner, IReadOnlyList<long> ids, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            $"UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = $error WHERE id IN ({Rows.IdList(ids)}) AND {Claimed}",
            cancellationToken, ("$error", error), ("$owner", owner));
        metrics.DeliveriesSettled("failed", ids.Count);
    }

    /// <summary>Fails every pending delivery of a channel whose subscriptions were paused, so the outbox does not keep them forever.</summary>
    public async Task<int> FailPendingForChannelAsync(string owner, long channelId, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync($"UPDATE deliveries SET status = 'failed', last_error = $error WHERE channel_id = $channel AND status = 'pending' AND {Claimed}",
            cancellationToken, ("$error", error), ("$channel", channelId), ("$owner", owner));
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

    internal SentRecorder(SqliteConnection connection, string owner, NewsBotMetrics metrics)
    {
        _connection = connection;
        _metrics = metrics;
        _update = connection.Command(
            $"UPDATE deliveries SET status = 'sent', platform_message_id = $message, sent_at = $now, attempts = attempts + 1, last_error = NULL WHERE id = $id AND {SqliteDeliveryStore.Claimed} RETURNING created_at",
            ("$message", ""), ("$now", 0L), ("$id", 0L), ("$owner", owner));
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
