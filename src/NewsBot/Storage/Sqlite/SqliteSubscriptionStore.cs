using System.Data.Common;
using System.Globalization;
using System.Text.Json;
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
        await connection.ExecuteAsync(
            """
            INSERT INTO subscriptions (channel_id, target, source_id, topic_key, include, exclude, show_summary, related_count, format, digest, link_preview, silent, template, mention_roles, created_at)
            VALUES ($channel, $target, $source, $topic, $include, $exclude, $summary, $related, $format, $digest, $preview, $silent, $template, $roles, $now)
            ON CONFLICT (channel_id, target) DO UPDATE SET
                include = excluded.include, exclude = excluded.exclude, show_summary = excluded.show_summary,
                related_count = excluded.related_count, format = excluded.format, digest = excluded.digest,
                link_preview = excluded.link_preview, silent = excluded.silent,
                template = excluded.template, mention_roles = excluded.mention_roles, paused = 0, paused_reason = NULL
            """,
            cancellationToken,
            ("$channel", subscription.ChannelId), ("$target", subscription.TargetKey), ("$source", subscription.SourceId), ("$topic", subscription.TopicKey),
            ("$include", Sql.JoinLines(subscription.Include)), ("$exclude", Sql.JoinLines(subscription.Exclude)), ("$summary", subscription.ShowSummary),
            ("$related", subscription.RelatedCount), ("$format", subscription.Format), ("$digest", subscription.Digest), ("$preview", subscription.LinkPreview),
            ("$silent", subscription.Silent), ("$template", subscription.Template is { } template ? JsonSerializer.Serialize(template) : null),
            ("$roles", Sql.JoinLines(subscription.MentionRoleIds.Select(id => id.ToString(CultureInfo.InvariantCulture)))), ("$now", time.GetUtcNow()));
        var stored = (await connection.QueryAsync("SELECT * FROM subscriptions WHERE channel_id = $channel AND target = $target", Read, cancellationToken,
            ("$channel", subscription.ChannelId), ("$target", subscription.TargetKey))).Single();
        return (stored, !existed);
    }

    public async Task<Subscription?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync("SELECT * FROM subscriptions WHERE id = $id", Read, cancellationToken, ("$id", id))).SingleOrDefault();
    }

    /// <summary>Subscriptions by id for a batch of deliveries, in one query.</summary>
    public async Task<IReadOnlyDictionary<long, Subscription>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<long, Subscription>();
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync($"SELECT * FROM subscriptions WHERE id IN ({SqliteDeliveryStore.IdList(ids)})", Read, cancellationToken);
        return rows.ToDictionary(s => s.Id);
    }

    public async Task<IReadOnlyList<Subscription>> ListForChannelAsync(long channelId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT * FROM subscriptions WHERE channel_id = $channel ORDER BY id", Read, cancellationToken, ("$channel", channelId));
    }

    public async Task<IReadOnlyList<Subscription>> ListForSourceAsync(long sourceId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT * FROM subscriptions WHERE source_id = $source ORDER BY id", Read, cancellationToken, ("$source", sourceId));
    }

    public async Task<IReadOnlyList<Subscription>> ListActiveForSourcesAsync(IReadOnlyCollection<long> sourceIds, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(
            $"SELECT * FROM subscriptions WHERE paused = 0 AND (source_id IS NULL OR source_id IN ({SqliteDeliveryStore.IdList(sourceIds)})) ORDER BY id",
            Read, cancellationToken);
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

    internal static Subscription Read(DbDataReader r)
    {
        var target = r.String("target");
        return new Subscription
        {
            Id = r.Int64("id"),
            ChannelId = r.Int64("channel_id"),
            Target = target == "all" ? SubscriptionTarget.All : target.StartsWith("topic:", StringComparison.Ordinal) ? SubscriptionTarget.Topic : SubscriptionTarget.Source,
            SourceId = r.NullableInt64("source_id"),
            TopicKey = r.NullableString("topic_key"),
            Include = r.Lines("include"),
            Exclude = r.Lines("exclude"),
            ShowSummary = r.Bool("show_summary"),
            RelatedCount = (int)r.Int64("related_count"),
            Format = Enum.Parse<PostFormat>(r.String("format"), ignoreCase: true),
            Digest = Enum.Parse<DigestMode>(r.String("digest"), ignoreCase: true),
            LinkPreview = r.Bool("link_preview"),
            Silent = r.Bool("silent"),
            Template = r.NullableString("template") is { } template ? JsonSerializer.Deserialize<PostTemplate>(template) : null,
            MentionRoleIds = r.Lines("mention_roles").Select(id => ulong.Parse(id, CultureInfo.InvariantCulture)).ToList(),
            Paused = r.Bool("paused"),
            PausedReason = r.NullableString("paused_reason"),
            CreatedAt = r.Time("created_at"),
        };
    }
}
