using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using NewsBot.Model;
using NewsBot.Runtime;

namespace NewsBot.Storage.Sqlite;

/// <summary>Articles, their identity keys, topics and related links, and the deliveries planned when they arrive.</summary>
public sealed class SqliteArticleStore(SqliteConnectionFactory connections, ITopicNormalizer topics, TimeProvider time, NewsBotMetrics metrics) : IArticleStore
{
    /// <summary>
    /// The query behind <see cref="RecentForStoryAsync"/> (parameters $since, $after, $limit); its plan is tested. It walks
    /// ids down from the newest, so a caller that asks after every poll reads only the few rows stored since (the time
    /// index would walk the whole two-day window each time).
    /// </summary>
    internal const string RecentForStorySql =
        """
        SELECT id, source_id, story_id, title, substr(COALESCE(text, teaser, ''), 1, 800) AS lead, fingerprint, first_seen_at
        FROM articles
        WHERE id > $after AND first_seen_at >= $since
        ORDER BY id DESC
        LIMIT $limit
        """;

    /// <summary>The query behind <see cref="StoryPeersAsync(Article, CancellationToken)"/> (parameters $story, $id, $source); its plan is tested.</summary>
    internal const string StoryPeersSql =
        """
        SELECT COALESCE(s.name, s.title, s.url) AS source_name, a.url, a.id
        FROM articles a JOIN sources s ON s.id = a.source_id
        WHERE a.story_id = $story AND a.id <> $id AND a.source_id <> $source AND a.url IS NOT NULL
        ORDER BY a.first_seen_at LIMIT 10
        """;

    /// <summary>The query behind <see cref="RelatedLinksAsync(long, CancellationToken)"/> (parameter $id); its plan is tested.</summary>
    internal const string RelatedLinksSql = "SELECT title, url, related_article_id FROM related_links WHERE article_id = $id ORDER BY rank";

    public async Task<IReadOnlyList<long?>> FindExistingAsync(long sourceId, IReadOnlyList<IReadOnlyList<string>> itemKeys, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT article_id FROM article_keys WHERE source_id = $source AND key = $key", ("$source", sourceId), ("$key", ""));
        var keyParameter = command.Parameters["$key"];
        var found = new List<long?>(itemKeys.Count);
        foreach (var keys in itemKeys)
        {
            long? match = null;
            foreach (var key in keys)
            {
                keyParameter.Value = key;
                if (await command.ExecuteScalarAsync(cancellationToken) is long id)
                {
                    match = id;
                    break;
                }
            }

            found.Add(match);
        }

        return found;
    }

    public async Task<IngestResult> IngestAsync(IngestBatch batch, IDeliveryPlanner planner, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var stored = new List<Article>();
        var announced = new List<Article>();
        foreach (var (draft, keys) in batch.NewArticles)
        {
            var article = await InsertAsync(connection, transaction, draft, keys, cancellationToken);
            if (article is not null)
            {
                stored.Add(article);
                if (!batch.Quiet.Contains(draft))
                {
                    announced.Add(article);
                }
            }
        }

        var edited = 0;
        foreach (var edit in batch.Edits)
        {
            edited += await transaction.ExecuteAsync(
                """
                UPDATE articles SET title = $title, teaser = COALESCE($teaser, teaser), url = COALESCE($url, url), updated_at = $updated
                WHERE id = $id AND (title <> $title OR IFNULL(teaser, '') <> IFNULL($teaser, IFNULL(teaser, '')))
                """,
                cancellationToken,
                ("$title", edit.Title), ("$teaser", edit.Teaser), ("$url", edit.Url), ("$updated", edit.UpdatedAt ?? now), ("$id", edit.ArticleId));
            foreach (var key in edit.Keys)
            {
                await transaction.ExecuteAsync(
                    "INSERT OR IGNORE INTO article_keys (source_id, key, article_id) VALUES ($source, $key, $article)",
                    cancellationToken, ("$source", batch.Source.Id), ("$key", key), ("$article", edit.ArticleId));
            }
        }

        // Planned (and so posted) oldest first.
        var deliveries = 0;
        foreach (var article in announced.OrderBy(a => a.SortTime).ThenBy(a => a.Id))
        {
            deliveries += await PersistDeliveriesAsync(connection, transaction, article, planner, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        metrics.ArticlesStored(stored.Count);
        return new IngestResult(stored, edited, deliveries);
    }

    public async Task<int> PlanDeliveriesAsync(IReadOnlyList<PlannedDelivery> plans, CancellationToken cancellationToken)
    {
        if (plans.Count == 0)
        {
            return 0;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var planned = 0;
        foreach (var (subscription, article) in plans.OrderBy(p => p.Article.SortTime).ThenBy(p => p.Article.Id))
        {
            planned += await InsertDeliveryAsync(transaction, subscription, article, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return planned;
    }

    public async Task<Article?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var rows = await QueryArticlesAsync($"SELECT {ArticleSql.Columns} FROM articles a WHERE a.id = $id", cancellationToken, ("$id", id));
        return rows.SingleOrDefault();
    }

    public async Task<Article?> GetByUrlAsync(string url, CancellationToken cancellationToken)
    {
        var rows = await QueryArticlesAsync($"SELECT {ArticleSql.Columns} FROM articles a WHERE a.url = $url ORDER BY a.id LIMIT 1", cancellationToken, ("$url", url));
        return rows.SingleOrDefault();
    }

    public Task<List<Article>> LatestAsync(ArticleQuery query, CancellationToken cancellationToken) =>
        QueryArticlesAsync(ArticleSql.Latest(query), cancellationToken,
            ("@topic", query.TopicKey is null ? null : topics.Normalize(query.TopicKey).Key), ("@source", query.SourceId), ("@before", query.Before), ("@limit", query.Limit));


    public async Task<IReadOnlyList<RelatedLink>> RelatedLinksAsync(long articleId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(
            RelatedLinksSql,
            r => new RelatedLink(r.String("title"), r.String("url"), r.NullableInt64("related_article_id")), cancellationToken, ("$id", articleId));
    }

    /// <summary>The other articles of the same story, from other sources: "also covered by".</summary>
    public async Task<IReadOnlyList<RelatedLink>> StoryPeersAsync(Article article, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(
            StoryPeersSql,
            r => new RelatedLink(r.String("source_name"), r.String("url"), r.Int64("id")), cancellationToken,
            ("$story", article.StoryId), ("$id", article.Id), ("$source", article.SourceId));
    }

    /// <summary>Articles that arrived since a time and after a known id, newest first: story candidates, read incrementally.</summary>
    public async Task<IReadOnlyList<StoryPeer>> RecentForStoryAsync(long afterId, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(
            RecentForStorySql,
            r => new StoryPeer(r.Int64("id"), r.Int64("source_id"), r.Int64("story_id"), r.String("title"), r.NullableString("lead"), r.NullableInt64("fingerprint"), r.Time("first_seen_at")),
            cancellationToken, ("$since", since), ("$after", afterId), ("$limit", limit));
    }

    /// <summary>Articles by id for a batch of deliveries (missing ids are left out), with their topics.</summary>
    public async Task<IReadOnlyList<Article>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? [] : await QueryArticlesAsync($"SELECT {ArticleSql.Columns} FROM articles a WHERE a.id IN ({Rows.IdList(ids)})", cancellationToken);

    /// <summary>Related links of many articles in one query, in rank order.</summary>
    public async Task<ILookup<long, RelatedLink>> RelatedLinksAsync(IReadOnlyCollection<long> articleIds, CancellationToken cancellationToken)
    {
        if (articleIds.Count == 0)
        {
            return Array.Empty<(long, RelatedLink)>().ToLookup(x => x.Item1, x => x.Item2);
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            $"SELECT article_id, title, url, related_article_id FROM related_links WHERE article_id IN ({Rows.IdList(articleIds)}) ORDER BY article_id, rank",
            r => (ArticleId: r.Int64("article_id"), Link: new RelatedLink(r.String("title"), r.String("url"), r.NullableInt64("related_article_id"))), cancellationToken);
        return rows.ToLookup(row => row.ArticleId, row => row.Link);
    }

    /// <summary><see cref="StoryPeersAsync(Article, CancellationToken)"/> for many articles in one query (at most 10 each).</summary>
    public async Task<ILookup<long, RelatedLink>> StoryPeersAsync(IReadOnlyCollection<long> articleIds, CancellationToken cancellationToken)
    {
        if (articleIds.Count == 0)
        {
            return Array.Empty<(long, RelatedLink)>().ToLookup(x => x.Item1, x => x.Item2);
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            $"""
            SELECT p.id AS for_id, COALESCE(s.name, s.title, s.url) AS source_name, a.url, a.id
            FROM articles p
            JOIN articles a ON a.story_id = p.story_id AND a.id <> p.id AND a.source_id <> p.source_id AND a.url IS NOT NULL
            JOIN sources s ON s.id = a.source_id
            WHERE p.id IN ({Rows.IdList(articleIds)})
            ORDER BY p.id, a.first_seen_at
            """,
            r => (ForId: r.Int64("for_id"), Link: new RelatedLink(r.String("source_name"), r.String("url"), r.Int64("id"))), cancellationToken);
        return rows.GroupBy(row => row.ForId).SelectMany(g => g.Take(10)).ToLookup(row => row.ForId, row => row.Link);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<long>(null, "SELECT COUNT(*) FROM articles", cancellationToken);
    }

    private async Task<List<Article>> QueryArticlesAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var articles = await connection.QueryAsync(null, sql, Rows.ReadArticle, cancellationToken, parameters);
        if (articles.Count == 0)
        {
            return articles;
        }

        // Topics for all rows in one query.
        var ids = string.Join(',', articles.Select(a => a.Id.ToString(CultureInfo.InvariantCulture)));
        var topicRows = await connection.QueryAsync(
            $"SELECT t.article_id, tp.name FROM article_topics t JOIN topics tp ON tp.id = t.topic_id WHERE t.article_id IN ({ids}) ORDER BY t.weight DESC, tp.name",
            r => (ArticleId: r.Int64("article_id"), Name: r.String("name")), cancellationToken);
        var byArticle = topicRows.ToLookup(row => row.ArticleId, row => row.Name);
        return articles.Select(a => byArticle.Contains(a.Id) ? a with { Topics = byArticle[a.Id].ToList() } : a).ToList();
    }

    private async Task<Article?> InsertAsync(SqliteConnection connection, SqliteTransaction transaction, ArticleDraft draft, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var sortAt = draft.PublishedAt is { } published && published <= draft.FirstSeenAt ? published : draft.FirstSeenAt;
        var id = await connection.ScalarAsync<long?>(transaction,
            """
            INSERT INTO articles (source_id, dedup_key, url, title, author, teaser, text, summary, language, image_url, categories,
                                  published_at, updated_at, first_seen_at, sort_at, story_id, fingerprint)
            VALUES ($source, $key, $url, $title, $author, $teaser, $text, $summary, $language, $image, $categories,
                    $published, $updated, $seen, $sort, COALESCE($story, 0), $fingerprint)
            ON CONFLICT (source_id, dedup_key) DO NOTHING
            RETURNING id
            """,
            cancellationToken,
            ("$source", draft.Source.Id), ("$key", draft.DedupKey), ("$url", draft.Url), ("$title", draft.Title), ("$author", draft.Author),
            ("$teaser", draft.Teaser), ("$text", draft.Text), ("$summary", draft.Summary), ("$language", draft.Language), ("$image", draft.ImageUrl),
            ("$categories", Rows.JoinLines(draft.Categories)), ("$published", draft.PublishedAt), ("$updated", draft.UpdatedAt),
            ("$seen", draft.FirstSeenAt), ("$sort", sortAt), ("$story", draft.SameStoryAs), ("$fingerprint", draft.Fingerprint));
        if (id is not { } articleId)
        {
            return null;
        }

        if (draft.SameStoryAs is null)
        {
            await transaction.ExecuteAsync("UPDATE articles SET story_id = id WHERE id = $id", cancellationToken, ("$id", articleId));
        }

        foreach (var key in keys)
        {
            await transaction.ExecuteAsync(
                "INSERT OR IGNORE INTO article_keys (source_id, key, article_id) VALUES ($source, $key, $article)",
                cancellationToken, ("$source", draft.Source.Id), ("$key", key), ("$article", articleId));
        }

        var topicNames = new List<string>();
        foreach (var group in draft.Topics.Select(tag => (Tag: tag, Name: topics.Normalize(tag.Name))).Where(t => t.Name.Key.Length > 0).GroupBy(t => t.Name.Key))
        {
            var first = group.First();
            var topicId = await connection.ScalarAsync<long>(transaction,
                "INSERT INTO topics (key, name) VALUES ($key, $name) ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING id",
                cancellationToken, ("$key", group.Key), ("$name", first.Name.Display));
            await transaction.ExecuteAsync(
                "INSERT OR IGNORE INTO article_topics (article_id, topic_id, origin, weight, sort_at) VALUES ($article, $topic, $origin, $weight, $sort)",
                cancellationToken, ("$article", articleId), ("$topic", topicId), ("$origin", first.Tag.Origin), ("$weight", group.Max(t => t.Tag.Weight)), ("$sort", sortAt));
            topicNames.Add(first.Name.Display);
        }

        var rank = 0;
        foreach (var link in draft.Related.DistinctBy(l => l.Url))
        {
            await transaction.ExecuteAsync(
                "INSERT OR IGNORE INTO related_links (article_id, url, title, related_article_id, rank) VALUES ($article, $url, $title, $related, $rank)",
                cancellationToken, ("$article", articleId), ("$url", link.Url), ("$title", link.Title), ("$related", link.ArticleId), ("$rank", rank++));
        }

        return draft.Stored(articleId, topicNames);
    }

    /// <summary>Persists the deliveries the planner chooses among the subscriptions aimed at the article.</summary>
    private static async Task<int> PersistDeliveriesAsync(SqliteConnection connection, SqliteTransaction transaction, Article article, IDeliveryPlanner planner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var candidates = await connection.QueryAsync(transaction,
            """
            SELECT s.* FROM subscriptions s
            WHERE s.paused = 0 AND (
                s.source_id = $source
                OR s.target = 'all'
                OR (s.topic_key IS NOT NULL AND s.topic_key IN (SELECT tp.key FROM article_topics t JOIN topics tp ON tp.id = t.topic_id WHERE t.article_id = $article)))
            ORDER BY s.id
            """,
            Rows.ReadSubscription, cancellationToken, ("$source", article.SourceId), ("$article", article.Id));
        var planned = 0;
        foreach (var subscription in planner.Recipients(article, candidates))
        {
            planned += await InsertDeliveryAsync(transaction, subscription, article, now, cancellationToken);
        }

        return planned;
    }

    /// <summary>
    /// One row per channel and article, and per channel and story: a second insert is a no-op. An article whose
    /// identity keys the channel was already given (under an earlier row of a removed, re-added or moved source) is
    /// not planned at all; a planned one records its keys.
    /// </summary>
    private static async Task<int> InsertDeliveryAsync(SqliteTransaction transaction, Subscription subscription, Article article, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var planned = await transaction.ExecuteAsync(
            """
            INSERT OR IGNORE INTO deliveries (channel_id, article_id, story_id, subscription_id, status, next_attempt_at, created_at)
            SELECT $channel, $article, $story, $subscription, 'pending', $now, $now
            WHERE NOT EXISTS (SELECT 1 FROM article_keys k JOIN delivered_keys d ON d.channel_id = $channel AND d.key = k.key WHERE k.article_id = $article)
            """,
            cancellationToken, ("$channel", subscription.ChannelId), ("$article", article.Id), ("$story", article.StoryId), ("$subscription", subscription.Id), ("$now", now));
        if (planned > 0)
        {
            await transaction.ExecuteAsync(
                $"INSERT OR IGNORE INTO delivered_keys (channel_id, key) SELECT $channel, k.key FROM article_keys k WHERE k.article_id = $article AND ({DeliveredKeyFilter})",
                cancellationToken, ("$channel", subscription.ChannelId), ("$article", article.Id));
        }

        return planned;
    }

    /// <summary>
    /// The article keys (alias k) that name the same article whatever source row carries it: the canonical URL, a
    /// URI-like or UUID-long GUID (short GUIDs such as "42" repeat across feeds), and the title hash only for an item
    /// without a link. Migration 5 seeded delivered_keys with the same rule.
    /// </summary>
    private const string DeliveredKeyFilter =
        """
        k.key LIKE 'url:%' OR k.key LIKE 'guid:%://%' OR k.key LIKE 'guid:urn:%' OR k.key LIKE 'guid:tag:%' OR length(k.key) >= 37
        OR (k.key LIKE 'hash:%' AND NOT EXISTS (SELECT 1 FROM article_keys u WHERE u.article_id = k.article_id AND u.key LIKE 'url:%'))
        """;
}
