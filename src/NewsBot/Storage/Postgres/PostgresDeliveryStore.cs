using Npgsql;
using NewsBot.Model;
using NewsBot.Runtime;

namespace NewsBot.Storage.Postgres;

/// <summary>The outbox: pending deliveries and what became of them.</summary>
public sealed class PostgresDeliveryStore(PgConnections connections, NewsBotMetrics metrics) : IDeliveryStore
{
    /// <summary>A channel another process may take: nobody holds it, the lease ran out, or its holder is not alive (and not the claimer).</summary>
    private const string Free =
        "(c.delivery_owner IS NULL OR c.delivery_claimed_until <= @now OR (c.delivery_owner <> @owner AND NOT c.delivery_owner = ANY(@live)))";

    /// <summary>The fence of every state update: the row's channel is still claimed by the updating process.</summary>
    internal const string Claimed = "EXISTS (SELECT 1 FROM channels c WHERE c.id = deliveries.channel_id AND c.delivery_owner = @owner)";

    /// <summary>
    /// The channels of the oldest due rows that are free, locked with SKIP LOCKED (a channel another process is claiming
    /// right now is left to it; one it claimed since this statement began fails the re-checked condition) and taken for
    /// the owner; then, in a second statement, their due rows. Two statements, because a statement reads the rows as
    /// they were when it began: a channel another process released a moment ago must be read after its last "sent"
    /// commit, or its rows would be sent twice.
    /// </summary>
    public async Task<IReadOnlyList<(Delivery Delivery, Channel Channel)>> ClaimDueAsync(Platform platform, DeliveryClaim claim, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        (string, object?)[] parameters =
            [("owner", claim.Owner), ("now", claim.Now), ("until", claim.Until), ("live", claim.LiveOwners.ToArray()), ("platform", platform.ToKey()), ("limit", limit)];
        var channels = await connection.QueryAsync(transaction,
            $"""
            WITH oldest AS (
                SELECT d.channel_id FROM deliveries d JOIN channels c ON c.id = d.channel_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND c.platform = @platform AND {Free}
                ORDER BY d.id
                LIMIT @limit
            ), claimable AS (
                SELECT c.id FROM channels c
                WHERE c.id IN (SELECT channel_id FROM oldest) AND {Free}
                FOR UPDATE SKIP LOCKED
            )
            UPDATE channels SET delivery_owner = @owner, delivery_claimed_until = @until
            FROM claimable WHERE channels.id = claimable.id
            RETURNING channels.id
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
            WHERE d.channel_id IN ({Rows.IdList(channels)}) AND d.status = 'pending' AND d.next_attempt_at <= @now
            ORDER BY d.id
            LIMIT @limit
            """,
            r => (Rows.ReadDelivery(r), Rows.ReadChannel(r, idColumn: "c_id", createdColumn: "c_created_at")), cancellationToken, parameters);
        await transaction.CommitAsync(cancellationToken);
        return due;
    }

    public async Task<DateTimeOffset?> NextDueAsync(Platform platform, DeliveryClaim claim, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<long?>(null,
            $"""
            SELECT MIN(CASE WHEN {Free} THEN d.next_attempt_at ELSE GREATEST(d.next_attempt_at, c.delivery_claimed_until) END)
            FROM deliveries d JOIN channels c ON c.id = d.channel_id
            WHERE d.status = 'pending' AND c.platform = @platform
            """,
            cancellationToken, ("owner", claim.Owner), ("now", claim.Now), ("live", claim.LiveOwners.ToArray()), ("platform", platform.ToKey())) is { } ms
            ? Rows.FromUnixMs(ms)
            : null;
    }

    public async Task RenewClaimsAsync(string owner, IReadOnlyCollection<long> channelIds, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            $"UPDATE channels SET delivery_claimed_until = @until WHERE delivery_owner = @owner AND id IN ({Rows.IdList(channelIds)})",
            cancellationToken, ("owner", owner), ("until", until));
    }

    public async Task ReleaseClaimsAsync(string owner, IReadOnlyCollection<long>? channelIds, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var only = channelIds is null ? "" : $" AND id IN ({Rows.IdList(channelIds)})";
        await connection.ExecuteAsync(null,
            $"UPDATE channels SET delivery_owner = NULL, delivery_claimed_until = NULL WHERE delivery_owner = @owner{only}",
            cancellationToken, ("owner", owner));
    }

    public async Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<long>(null, "SELECT COUNT(*) FROM deliveries WHERE status = 'pending'", cancellationToken);
    }

    public async Task<ILookup<long, DateTimeOffset>> RecentPostsAsync(IReadOnlyCollection<long> channelIds, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // A digest is one post however many rows it carried: one time per message id.
        var rows = await connection.QueryAsync(null,
            $"""
            SELECT channel_id, MIN(sent_at) AS sent_at FROM deliveries
            WHERE channel_id IN ({Rows.IdList(channelIds)}) AND sent_at >= @since AND status IN ('sent', 'digested')
            GROUP BY channel_id, platform_message_id
            ORDER BY 2
            """,
            r => (Channel: r.Int64("channel_id"), SentAt: r.Time("sent_at")), cancellationToken, ("since", since));
        return rows.ToLookup(row => row.Channel, row => row.SentAt);
    }

    /// <summary>How long a sent mark waits out a server restart before giving up (then the post may go out again).</summary>
    internal static readonly TimeSpan SentMarkPatience = TimeSpan.FromSeconds(30);

    public async Task MarkSentAsync(string owner, IReadOnlyList<long> ids, DeliveryStatus status, string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var planned = await connections.RetryAsync(async () =>
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            return await connection.QueryAsync(null,
                $"UPDATE deliveries SET status = @status, platform_message_id = @message, sent_at = @now, attempts = attempts + 1, last_error = NULL WHERE id IN ({Rows.IdList(ids)}) AND {Claimed} RETURNING created_at",
                r => r.Time("created_at"), cancellationToken, ("status", status), ("message", messageId), ("now", now), ("owner", owner));
        }, SentMarkPatience, cancellationToken);
        metrics.DeliveriesSettled(status == DeliveryStatus.Digested ? "digested" : "sent", planned.Count);
        foreach (var createdAt in planned)
        {
            metrics.DeliveryLatency(now - createdAt);
        }
    }

    public Task<ISentRecorder> OpenSentRecorderAsync(string owner, CancellationToken cancellationToken) =>
        Task.FromResult<ISentRecorder>(new PgSentRecorder(connections, owner, metrics));

    public async Task MarkRetryAsync(string owner, IReadOnlyList<long> ids, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            $"UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error WHERE id IN ({Rows.IdList(ids)}) AND {Claimed}",
            cancellationToken, ("next", nextAttemptAt), ("error", error), ("owner", owner));
        metrics.DeliveriesSettled("retry", ids.Count);
    }

    public async Task PostponeAsync(string owner, IReadOnlyList<long> ids, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, $"UPDATE deliveries SET next_attempt_at = @next WHERE id IN ({Rows.IdList(ids)}) AND {Claimed}", cancellationToken, ("next", until), ("owner", owner));
    }

    public async Task MarkFailedAsync(string owner, IReadOnlyList<long> ids, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            $"UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = @error WHERE id IN ({Rows.IdList(ids)}) AND {Claimed}",
            cancellationToken, ("error", error), ("owner", owner));
        metrics.DeliveriesSettled("failed", ids.Count);
    }

    public async Task<int> FailPendingForChannelAsync(string owner, long channelId, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(null, $"UPDATE deliveries SET status = 'failed', last_error = @error WHERE channel_id = @channel AND status = 'pending' AND {Claimed}",
            cancellationToken, ("error", error), ("channel", channelId), ("owner", owner));
    }

    public async Task<IReadOnlyList<Delivery>> ListForChannelAsync(long channelId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null, "SELECT * FROM deliveries WHERE channel_id = @channel ORDER BY id", Rows.ReadDelivery, cancellationToken, ("channel", channelId));
    }
}

/// <summary>
/// Marks one delivery sent per call, each its own commit (autocommit), with one prepared statement on a connection held
/// for the batch. A failure drops that connection; a transient one (the server restarting) is retried on a new one.
/// </summary>
internal sealed class PgSentRecorder(PgConnections connections, string owner, NewsBotMetrics metrics) : ISentRecorder
{
    private NpgsqlConnection? _connection;
    private NpgsqlCommand? _update;

    public async Task MarkSentAsync(long id, string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var createdAt = await connections.RetryAsync(async () =>
        {
            try
            {
                var update = _update ?? await PrepareAsync(cancellationToken);
                update.Parameters["message"].Value = messageId;
                update.Parameters["now"].Value = now.ToUnixTimeMilliseconds();
                update.Parameters["id"].Value = id;
                return await update.ExecuteScalarAsync(cancellationToken);
            }
            catch
            {
                await DropConnectionAsync();
                throw;
            }
        }, PostgresDeliveryStore.SentMarkPatience, cancellationToken);
        if (createdAt is long created)
        {
            metrics.DeliveriesSettled("sent", 1);
            metrics.DeliveryLatency(now - Rows.FromUnixMs(created));
        }
    }

    public ValueTask DisposeAsync() => DropConnectionAsync();

    private async Task<NpgsqlCommand> PrepareAsync(CancellationToken cancellationToken)
    {
        _connection = await connections.OpenAsync(cancellationToken);
        _update = _connection.Command(null,
            $"UPDATE deliveries SET status = 'sent', platform_message_id = @message, sent_at = @now, attempts = attempts + 1, last_error = NULL WHERE id = @id AND {PostgresDeliveryStore.Claimed} RETURNING created_at",
            ("message", ""), ("now", 0L), ("id", 0L), ("owner", owner));
        await _update.PrepareAsync(cancellationToken);
        return _update;
    }

    private async ValueTask DropConnectionAsync()
    {
        if (_update is not null)
        {
            await _update.DisposeAsync();
            _update = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}
