using NewsBot.Model;

namespace NewsBot.Storage.Postgres;

/// <summary>Subscriptions of channels to sources, topics or everything.</summary>
public sealed class PostgresSubscriptionStore(PgConnections connections, TimeProvider time) : ISubscriptionStore
{
    public async Task<(Subscription Subscription, bool Created)> UpsertAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        var (template, mentionRoles) = Rows.SubscriptionExtras(subscription);
        await using var connection = await connections.OpenAsync(cancellationToken);
        // xmax is 0 on a row this statement inserted, and the updating transaction's id on one it updated.
        var rows = await connection.QueryAsync(null,
            """
            INSERT INTO subscriptions (channel_id, target, source_id, topic_key, include, exclude, show_summary, related_count, format, digest, link_preview, silent, template, mention_roles, summary_language, created_at)
            VALUES (@channel, @target, @source::bigint, @topic::text, @include::text, @exclude::text, @summary, @related, @format, @digest, @preview, @silent, @template::text, @roles::text, @summaryLanguage::text, @now)
            ON CONFLICT (channel_id, target) DO UPDATE SET
                include = excluded.include, exclude = excluded.exclude, show_summary = excluded.show_summary,
                related_count = excluded.related_count, format = excluded.format, digest = excluded.digest,
                link_preview = excluded.link_preview, silent = excluded.silent,
                template = excluded.template, mention_roles = excluded.mention_roles, summary_language = excluded.summary_language, paused = FALSE, paused_reason = NULL
            RETURNING *, (xmax = 0) AS created
            """,
            r => (Subscription: Rows.ReadSubscription(r), Created: r.Bool("created")), cancellationToken,
            ("channel", subscription.ChannelId), ("target", subscription.TargetKey), ("source", subscription.SourceId), ("topic", subscription.TopicKey),
            ("include", Rows.JoinLines(subscription.Include)), ("exclude", Rows.JoinLines(subscription.Exclude)), ("summary", subscription.ShowSummary),
            ("related", (long)subscription.RelatedCount), ("format", subscription.Format), ("digest", subscription.Digest), ("preview", subscription.LinkPreview),
            ("silent", subscription.Silent), ("template", template), ("roles", mentionRoles),
            ("summaryLanguage", subscription.SummaryLanguage), ("now", time.GetUtcNow()));
        return rows.Single();
    }

    public async Task<Subscription?> GetAsync(long id, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT * FROM subscriptions WHERE id = @id", cancellationToken, ("id", id))).SingleOrDefault();

    public async Task<IReadOnlyDictionary<long, Subscription>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? new Dictionary<long, Subscription>()
            : (await QueryAsync($"SELECT * FROM subscriptions WHERE id IN ({Rows.IdList(ids)})", cancellationToken)).ToDictionary(s => s.Id);

    public async Task<IReadOnlyList<Subscription>> ListForChannelAsync(long channelId, CancellationToken cancellationToken) =>
        await QueryAsync("SELECT * FROM subscriptions WHERE channel_id = @channel ORDER BY id", cancellationToken, ("channel", channelId));

    public async Task<IReadOnlyList<Subscription>> ListForSourceAsync(long sourceId, CancellationToken cancellationToken) =>
        await QueryAsync("SELECT * FROM subscriptions WHERE source_id = @source ORDER BY id", cancellationToken, ("source", sourceId));

    public async Task<IReadOnlyList<Subscription>> ListActiveForSourcesAsync(IReadOnlyCollection<long> sourceIds, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT * FROM subscriptions WHERE NOT paused AND (source_id IS NULL OR source_id IN ({Rows.IdList(sourceIds)})) ORDER BY id", cancellationToken);

    public async Task<bool> RemoveAsync(long channelId, string targetKey, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(null, "DELETE FROM subscriptions WHERE channel_id = @channel AND target = @target", cancellationToken,
            ("channel", channelId), ("target", targetKey)) > 0;
    }

    public async Task<int> PauseChannelAsync(long channelId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(null, "UPDATE subscriptions SET paused = TRUE, paused_reason = @reason WHERE channel_id = @channel AND NOT paused",
            cancellationToken, ("reason", reason), ("channel", channelId));
    }

    public async Task<int> ResumeChannelAsync(long channelId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(null, "UPDATE subscriptions SET paused = FALSE, paused_reason = NULL WHERE channel_id = @channel AND paused",
            cancellationToken, ("channel", channelId));
    }

    private async Task<List<Subscription>> QueryAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null, sql, Rows.ReadSubscription, cancellationToken, parameters);
    }
}
