using NewsBot.Model;

namespace NewsBot.Storage.Sqlite;

/// <summary>Subscriptions of channels to sources, topics or everything.</summary>
public sealed class SqliteSubscriptionStore(SqliteConnectionFactory connections, TimeProvider time) : ISubscriptionStore
{
    /// <summary>Adds or replaces the channel's subscription to that target. Returns it and whether it is new.</summary>
    public async Task<(Subscription Subscription, bool Created)> UpsertAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var existed = await connection.ScalarAsync<long?>(null, "SELECT id FROM subscriptions WHERE channel_id = $channel AND target = $target", cancellationToken,
            ("$channel", subscription.ChannelId), ("$target", subscription.TargetKey)) is not null;
        var extras = Rows.SubscriptionExtras(subscription);
        await connection.ExecuteAsync(
            """
            INSERT INTO subscriptions (channel_id, target, source_id, topic_key, include, exclude, show_summary, related_count, format, digest, link_preview, silent, template, mention_roles, summary_language, created_at)
            VALUES ($channel, $target, $source, $topic, $include, $exclude, $summary, $related, $format, $digest, $preview, $silent, $template, $roles, $summaryLanguage, $now)
            ON CONFLICT (channel_id, target) DO UPDATE SET
                include = excluded.include, exclude = excluded.exclude, show_summary = excluded.show_summary,
                related_count = excluded.related_count, format = excluded.format, digest = excluded.digest,
                link_preview = excluded.link_preview, silent = excluded.silent,
                template = excluded.template, mention_roles = excluded.mention_roles, summary_language = excluded.summary_language, paused = 0, paused_reason = NULL
            """,
            cancellationToken,
            ("$channel", subscription.ChannelId), ("$target", subscription.TargetKey), ("$source", subscription.SourceId), ("$topic", subscription.TopicKey),
            ("$include", Rows.JoinLines(subscription.Include)), ("$exclude", Rows.JoinLines(subscription.Exclude)), ("$summary", subscription.ShowSummary),
            ("$related", subscription.RelatedCount), ("$format", subscription.Format), ("$digest", subscription.Digest), ("$preview", subscription.LinkPreview),
            ("$silent", subscription.Silent), ("$template", extras.Template), ("$roles", extras.MentionRoles),
            ("$summaryLanguage", subscription.SummaryLanguage), ("$now", time.GetUtcNow()));
        var stored = (await connection.QueryAsync("SELECT * FROM subscriptions WHERE channel_id = $channel AND target = $target", Rows.ReadSubscription, cancellationToken,
            ("$channel", subscription.ChannelId), ("$target", subscription.TargetKey))).Single();
        return (stored, !existed);
    }

    public async Task<Subscription?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync("SELECT * FROM subscriptions WHERE id = $id", Rows.ReadSubscription, cancellationToken, ("$id", id))).SingleOrDefault();
    }

    /// <summary>Subscriptions by id for a batch of deliveries, in one query.</summary>
    public async Task<IReadOnlyDictionary<long, Subscription>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<long, Subscription>();
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync($"SELECT * FROM subscriptions WHERE id IN ({Rows.IdList(ids)})", Rows.ReadSubscription, cancellationToken);
        return rows.ToDictionary(s => s.Id);
    }

    public async Task<IReadOnlyList<Subscription>> ListForChannelAsync(long channelId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT * FROM subscriptions WHERE channel_id = $channel ORDER BY id", Rows.ReadSubscription, cancellationToken, ("$channel", channelId));
    }

    public async Task<IReadOnlyList<Subscription>> ListForSourceAsync(long sourceId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT * FROM subscriptions WHERE source_id = $source ORDER BY id", Rows.ReadSubscription, cancellationToken, ("$source", sourceId));
    }

    public async Task<IReadOnlyList<Subscription>> ListActiveForSourcesAsync(IReadOnlyCollection<long> sourceIds, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(
            $"SELECT * FROM subscriptions WHERE paused = 0 AND (source_id IS NULL OR source_id IN ({Rows.IdList(sourceIds)})) ORDER BY id",
            Rows.ReadSubscription, cancellationToken);
    }

    public async Task<bool> RemoveAsync(long channelId, string targetKey, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM subscriptions WHERE channel_id = $channel AND target = $target", cancellationToken,
            ("$channel", channelId), ("$target", targetKey)) > 0;
    }

    /// <summary>Pauses every subscription of a channel (channel gone, bot removed, no permission) and keeps the reason.</summary>
    public async Task<int> PauseChannelAsync(long channelId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE subscriptions SET paused = 1, paused_reason = $reason WHERE channel_id = $channel AND paused = 0",
            cancellationToken, ("$reason", reason), ("$channel", channelId));
    }

    public async Task<int> ResumeChannelAsync(long channelId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE subscriptions SET paused = 0, paused_reason = NULL WHERE channel_id = $channel AND paused = 1",
            cancellationToken, ("$channel", channelId));
    }
}
