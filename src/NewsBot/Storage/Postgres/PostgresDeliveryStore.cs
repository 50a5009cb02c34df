using Npgsql;
using NewsBot.Model;
using NewsBot.Runtime;

namespace NewsBot.Storage.Postgres;

/// <summary>The outbox: pending deliveries and what became of them.</summary>
public sealed class PostgresDeliveryStore(PgConnections connections, NewsBotMetrics metrics) : IDeliveryStore
{
    public async Task<IReadOnlyList<(Delivery Delivery, Channel Channel)>> ListDueAsync(Platform platform, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null,
            """
            SELECT d.*, c.id AS c_id, c.platform, c.external_id, c.thread_id, c.group_id, c.name, c.max_posts_per_hour, c.quiet_start, c.quiet_end, c.time_zone, c.language, c.platform_locale, c.created_at AS c_created_at
            FROM deliveries d JOIN channels c ON c.id = d.channel_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND c.platform = @platform
            ORDER BY d.id
            LIMIT @limit
            """,
            r => (Rows.ReadDelivery(r), Rows.ReadChannel(r, idColumn: "c_id", createdColumn: "c_created_at")), cancellationToken,
            ("now", now), ("limit", limit), ("platform", platform.ToKey()));
    }

    public async Task<DateTimeOffset?> NextDueAsync(Platform platform, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<long?>(null,
            "SELECT MIN(d.next_attempt_at) FROM deliveries d JOIN channels c ON c.id = d.channel_id WHERE d.status = 'pending' AND c.platform = @platform",
            cancellationToken, ("platform", platform.ToKey())) is { } ms
            ? Rows.FromUnixMs(ms)
            : null;
    }

    public async Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<long>(null, "SELECT COUNT(*) FROM deliveries WHERE status = 'pending'", cancellationToken);
    }

    public async Task<IReadOnlyDictionary<long, int>> CountPostsSinceAsync(IReadOnlyCollection<long> channelIds, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // A digest is one post however many rows it carried: count distinct message ids.
        var rows = await connection.QueryAsync(null,
            $"""
            SELECT channel_id, COUNT(DISTINCT platform_message_id) AS posts FROM deliveries
            WHERE channel_id IN ({Rows.IdList(channelIds)}) AND sent_at >= @since AND status IN ('sent', 'digested')
            GROUP BY channel_id
            """,
            r => (Channel: r.Int64("channel_id"), Posts: (int)r.Int64("posts")), cancellationToken, ("since", since));
        return rows.ToDictionary(row => row.Channel, row => row.Posts);
    }

    /// <summary>How long a sent mark waits out a server restart before giving up (then the post may go out again).</summary>
    internal static readonly TimeSpan SentMarkPatience = TimeSpan.FromSeconds(30);

    public async Task MarkSentAsync(IReadOnlyList<long> ids, DeliveryStatus status, string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var planned = await connections.RetryAsync(async () =>
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            return await connection.QueryAsync(null,
                $"UPDATE deliveries SET status = @status, platform_message_id = @message, sent_at = @now, attempts = attempts + 1, last_error = NULL WHERE id IN ({Rows.IdList(ids)}) RETURNING created_at",
                r => r.Time("created_at"), cancellationToken, ("status", status), ("message", messageId), ("now", now));
        }, SentMarkPatience, cancellationToken);
        metrics.DeliveriesSettled(status == DeliveryStatus.Digested ? "digested" : "sent", planned.Count);
        foreach (var createdAt in planned)
        {
            metrics.DeliveryLatency(now - createdAt);
        }
    }

    public Task<ISentRecorder> OpenSentRecorderAsync(CancellationToken cancellationToken) =>
        Task.FromResult<ISentRecorder>(new PgSentRecorder(connections, metrics));

    public async Task MarkRetryAsync(IReadOnlyList<long> ids, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            $"UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error WHERE id IN ({Rows.IdList(ids)})",
            cancellationToken, ("next", nextAttemptAt), ("error", error));
        metrics.DeliveriesSettled("retry", ids.Count);
    }

    public async Task PostponeAsync(IReadOnlyList<long> ids, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, $"UPDATE deliveries SET next_attempt_at = @next WHERE id IN ({Rows.IdList(ids)})", cancellationToken, ("next", until));
    }

    public async Task MarkFailedAsync(IReadOnlyList<long> ids, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            $"UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = @error WHERE id IN ({Rows.IdList(ids)})",
            cancellationToken, ("error", error));
        metrics.DeliveriesSettled("failed", ids.Count);
    }

    public async Task<int> FailPendingForChannelAsync(long channelId, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(null, "UPDATE deliveries SET status = 'failed', last_error = @error WHERE channel_id = @channel AND status = 'pending'",
            cancellationToken, ("error", error), ("channel", channelId));
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
internal sealed class PgSentRecorder(PgConnections connections, NewsBotMetrics metrics) : ISentRecorder
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
            "UPDATE deliveries SET status = 'sent', platform_message_id = @message, sent_at = @now, attempts = attempts + 1, last_error = NULL WHERE id = @id RETURNING created_at",
            ("message", ""), ("now", 0L), ("id", 0L));
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
