using System.Text;
using Npgsql;
using NewsBot.Model;
using NewsBot.Runtime;

namespace NewsBot.Storage.Postgres;

/// <summary>Articles, their identity keys, topics and related links, and the deliveries planned when they arrive.</summary>
public sealed class PostgresArticleStore(PgConnections connections, ITopicNormalizer topics, TimeProvider time, NewsBotMetrics metrics, PgOutboxNotifier outbox) : IArticleStore
{
    public async Task<IReadOnlyList<long?>> FindExistingAsync(long sourceId, IReadOnlyList<IReadOnlyList<string>> itemKeys, CancellationToken cancellationToken)
    {
        var allKeys = itemKeys.SelectMany(keys => keys).Distinct().ToArray();
        if (allKeys.Length == 0)
        {
            return itemKeys.Select(_ => (long?)null).ToList();
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync(null,
            "SELECT key, article_id FROM article_keys WHERE source_id = @source AND key = ANY(@keys)",
            r => (Key: r.GetString(0), ArticleId: r.GetInt64(1)), cancellationToken, ("source", sourceId), ("keys", allKeys));
        var byKey = rows.ToDictionary(row => row.Key, row => row.ArticleId, StringComparer.Ordinal);
        // The first of an item's keys that is known decides, as a lookup key by key would.
        return itemKeys.Select(keys => keys.Select(key => byKey.TryGetValue(key, out var id) ? id : (long?)null).FirstOrDefault(id => id is not null)).ToList();
    }

    public async Task<IngestResult> IngestAsync(IngestBatch batch, IDeliveryPlanner planner, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var topicIds = await EnsureTopicsAsync(connection, batch.NewArticles.Select(item => item.Draft), cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var stored = new List<Article>();
        var announced = new List<Article>();
        foreach (var (draft, keys) in batch.NewArticles)
        {
            var article = await InsertAsync(connection, transaction, draft, keys, topicIds, cancellationToken);
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
            // The title's part of the index is written anew; the summary's and text's (weights B, C) are kept.
            edited += await connection.ExecuteAsync(transaction,
                """
                UPDATE articles SET title = @title, teaser = COALESCE(@teaser::text, teaser), url = COALESCE(@url::text, url), updated_at = @updated,
                    search = setweight(to_tsvector('simple', @titleIndex), 'A') || ts_filter(search, '{b,c}')
                WHERE id = @id AND (title <> @title OR COALESCE(teaser, '') <> COALESCE(@teaser::text, teaser, ''))
                """,
                cancellationToken,
                ("title", edit.Title), ("teaser", edit.Teaser), ("url", edit.Url), ("updated", edit.UpdatedAt ?? now), ("id", edit.ArticleId),
                ("titleIndex", PgTextSearch.Indexed(edit.Title)));
            foreach (var key in edit.Keys)
            {
                await connection.ExecuteAsync(transaction,
                    "INSERT INTO article_keys (source_id, key, article_id) VALUES (@source, @key, @article) ON CONFLICT DO NOTHING",
                    cancellationToken, ("source", batch.Source.Id), ("key", key), ("article", edit.ArticleId));
            }
        }

        // Planned (and so posted) oldest first.
        var deliveries = 0;
        foreach (var article in announced.OrderBy(a => a.SortTime).ThenBy(a => a.Id))
        {
            deliveries += await PersistDeliveriesAsync(connection, transaction, article, planner, now, cancellationToken);
        }

        if (deliveries > 0)
        {
            await outbox.NotifyAsync(connection, transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        metrics.ArticlesStored(stored.Count);
        return new IngestResult(stored, edited, deliveries);
    }

    public async Task<int> PlanDeliveriesAsync(IReadOnlyList<PlannedDelivery> plans, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var planned = 0;
        foreach (var plan in plans.OrderBy(p => p.Article.SortTime).ThenBy(p => p.Article.Id))
        {
            planned += await InsertDeliveryAsync(connection, transaction, plan.Subscription, plan.Article, now, cancellationToken);
        }

        if (planned > 0)
        {
            await outbox.NotifyAsync(connection, transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return planned;
    }

    public async Task<Article?> GetAsync(long id, CancellationToken cancellationToken) =>
        (await QueryArticlesAsync($"SELECT {ArticleSql.Columns} FROM articles a WHERE a.id = @id", cancellationToken, ("id", id))).SingleOrDefault();

    public async Task<Article?> GetByUrlAsync(string url, CancellationToken cancellationToken) =>
        (await QueryArticlesAsync($"SELECT {ArticleSql.Columns} FROM articles a WHERE a.url = @url ORDER BY a.id LIMIT 1", cancellationToken, ("url", url))).SingleOrDefault();

    public Task<List<Article>> LatestAsync(ArticleQuery query, CancellationToken cancellationToken) =>
        QueryArticlesAsync(ArticleSql.Latest(query), cancellationToken,
            ("topic", query.TopicKey is null ? null : topics.Normalize(query.TopicKey).Key), ("source", query.SourceId), ("before", query.Before), ("limit", query.Limit));


    public async Task<IReadOnlyList<RelatedLink>> RelatedLinksAsync(long articleId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null,
            "SELECT title, url, related_article_id FROM related_links WHERE article_id = @id ORDER BY rank",
            r => new RelatedLink(r.String("title"), r.String("url"), r.NullableInt64("related_article_id")), cancellationToken, ("id", articleId));
    }

    public async Task<IReadOnlyList<RelatedLink>> StoryPeersAsync(Article article, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null,
            """
            SELECT COALESCE(s.name, s.title, s.url) AS source_name, a.url, a.id
            FROM articles a JOIN sources s ON s.id = a.source_id
            WHERE a.story_id = @story AND a.id <> @id AND a.source_id <> @source AND a.url IS NOT NULL
            ORDER BY a.first_seen_at LIMIT 10
            """,
            r => new RelatedLink(r.String("source_name"), r.String("url"), r.Int64("id")), cancellationToken,
            ("story", article.StoryId), ("id", article.Id), ("source", article.SourceId));
    }

    public async Task<IReadOnlyList<StoryPeer>> RecentForStoryAsync(long afterId, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null,
            """
            SELECT id, source_id, story_id, title, substr(COALESCE(text, teaser, ''), 1, 800) AS lead, fingerprint, first_seen_at
            FROM articles
            WHERE id > @after AND first_seen_at >= @since
            ORDER BY id DESC
            LIMIT @limit
            """,
            r => new StoryPeer(r.Int64("id"), r.Int64("source_id"), r.Int64("story_id"), r.String("title"), r.NullableString("lead"), r.NullableInt64("fingerprint"), r.Time("first_seen_at")),
            cancellationToken, ("since", since), ("after", afterId), ("limit", limit));
    }

    public async Task<IReadOnlyList<Article>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? [] : await QueryArticlesAsync($"SELECT {ArticleSql.Columns} FROM articles a WHERE a.id IN ({Rows.IdList(ids)})", cancellationToken);

    public async Task<ILookup<long, RelatedLink>> RelatedLinksAsync(IReadOnlyCollection<long> articleIds, CancellationToken cancellationToken)
    {
        if (articleIds.Count == 0)
        {
            return Array.Empty<(long, RelatedLink)>().ToLookup(x => x.Item1, x => x.Item2);
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync(null,
            $"SELECT article_id, title, url, related_article_id FROM related_links WHERE article_id IN ({Rows.IdList(articleIds)}) ORDER BY article_id, rank",
            r => (ArticleId: r.Int64("article_id"), Link: new RelatedLink(r.String("title"), r.String("url"), r.NullableInt64("related_article_id"))), cancellationToken);
        return rows.ToLookup(row => row.ArticleId, row => row.Link);
    }

    public async Task<ILookup<long, RelatedLink>> StoryPeersAsync(IReadOnlyCollection<long> articleIds, CancellationToken cancellationToken)
    {
        if (articleIds.Count == 0)
        {
            return Array.Empty<(long, RelatedLink)>().ToLookup(x => x.Item1, x => x.Item2);
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync(null,
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
        var topicRows = await connection.QueryAsync(null,
            $"SELECT t.article_id, tp.name FROM article_topics t JOIN topics tp ON tp.id = t.topic_id WHERE t.article_id IN ({Rows.IdList(articles.Select(a => a.Id).ToList())}) ORDER BY t.weight DESC, tp.name",
            r => (ArticleId: r.Int64("article_id"), Name: r.String("name")), cancellationToken);
        var byArticle = topicRows.ToLookup(row => row.ArticleId, row => row.Name);
        return articles.Select(a => byArticle.Contains(a.Id) ? a with { Topics = byArticle[a.Id].ToList() } : a).ToList();
    }

    /// <summary>
    /// The ids of every topic the batch names, creating the missing ones first in a statement of their own, in key
    /// order. Inside the ingest transaction, an upsert locks each topic row until commit, and two sources ingesting
    /// the same topics in different orders deadlock; a topic is a name, so creating it ahead of its articles is harmless.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, long>> EnsureTopicsAsync(NpgsqlConnection connection, IEnumerable<ArticleDraft> drafts, CancellationToken cancellationToken)
    {
        var names = drafts.SelectMany(draft => draft.Topics).Select(tag => topics.Normalize(tag.Name)).Where(name => name.Key.Length > 0)
            .DistinctBy(name => name.Key).OrderBy(name => name.Key, StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            return new Dictionary<string, long>();
        }

        var keys = names.Select(name => name.Key).ToArray();
        await connection.ExecuteAsync(null,
            "INSERT INTO topics (key, name) SELECT key, name FROM unnest(@keys, @names) AS t(key, name) ORDER BY key ON CONFLICT (key) DO NOTHING",
            cancellationToken, ("keys", keys), ("names", names.Select(name => name.Display).ToArray()));
        var rows = await connection.QueryAsync(null, "SELECT key, id FROM topics WHERE key = ANY(@keys)",
            r => (Key: r.GetString(0), Id: r.GetInt64(1)), cancellationToken, ("keys", keys));
        return rows.ToDictionary(row => row.Key, row => row.Id, StringComparer.Ordinal);
    }

    private async Task<Article?> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ArticleDraft draft, IReadOnlyList<string> keys, IReadOnlyDictionary<string, long> topicIds, CancellationToken cancellationToken)
    {
        var sortAt = draft.PublishedAt is { } published && published <= draft.FirstSeenAt ? published : draft.FirstSeenAt;
        // The id is drawn first so that a new story (its own first article) is written with its story id: setting it
        // afterwards was a second, non-HOT version of the row, indexed again in every index, the GIN one included.
        var id = await connection.ScalarAsync<long?>(transaction,
            $"""
            WITH fresh AS (SELECT nextval(pg_get_serial_sequence('articles', 'id')) AS id)
            INSERT INTO articles (id, source_id, dedup_key, url, title, author, teaser, text, summary, language, image_url, categories,
                                  published_at, updated_at, first_seen_at, sort_at, story_id, fingerprint, search)
            SELECT fresh.id, @source, @key, @url::text, @title, @author::text, @teaser::text, @text::text, @summary::text, @language::text, @image::text,
                   @categories::text, @published::bigint, @updated::bigint, @seen, @sort, COALESCE(@story::bigint, fresh.id), @fingerprint::bigint,
                   {PgTextSearch.Vector("@titleIndex", "@summaryIndex", "@textIndex")}
            FROM fresh
            ON CONFLICT (source_id, dedup_key) DO NOTHING
            RETURNING id
            """,
            cancellationToken,
            ("source", draft.Source.Id), ("key", draft.DedupKey), ("url", draft.Url), ("title", draft.Title), ("author", draft.Author),
            ("teaser", draft.Teaser), ("text", draft.Text), ("summary", draft.Summary), ("language", draft.Language), ("image", draft.ImageUrl),
            ("categories", Rows.JoinLines(draft.Categories)), ("published", draft.PublishedAt), ("updated", draft.UpdatedAt),
            ("seen", draft.FirstSeenAt), ("sort", sortAt), ("story", draft.SameStoryAs), ("fingerprint", draft.Fingerprint),
            ("titleIndex", PgTextSearch.Indexed(draft.Title)), ("summaryIndex", PgTextSearch.Indexed(draft.Summary)), ("textIndex", PgTextSearch.Indexed(draft.Text)));
        if (id is not { } articleId)
        {
            return null;
        }

        // What the article's id unlocks, sent together: one round trip instead of one per row.
        var rows = new List<(string, (string, object?)[])>();
        rows.AddRange(keys.Select(key => ("INSERT INTO article_keys (source_id, key, article_id) VALUES (@source, @key, @article) ON CONFLICT DO NOTHING",
            new (string, object?)[] { ("source", draft.Source.Id), ("key", key), ("article", articleId) })));
        var topicNames = new List<string>();
        foreach (var group in draft.Topics.Select(tag => (Tag: tag, Name: topics.Normalize(tag.Name))).Where(t => t.Name.Key.Length > 0).GroupBy(t => t.Name.Key))
        {
            var first = group.First();
            rows.Add(("INSERT INTO article_topics (article_id, topic_id, origin, weight, sort_at) VALUES (@article, @topic, @origin, @weight, @sort) ON CONFLICT DO NOTHING",
                [("article", articleId), ("topic", topicIds[group.Key]), ("origin", first.Tag.Origin), ("weight", group.Max(t => t.Tag.Weight)), ("sort", sortAt)]));
            topicNames.Add(first.Name.Display);
        }

        rows.AddRange(draft.Related.DistinctBy(l => l.Url).Select((link, rank) =>
            ("INSERT INTO related_links (article_id, url, title, related_article_id, rank) VALUES (@article, @url, @title, @related::bigint, @rank) ON CONFLICT DO NOTHING",
                new (string, object?)[] { ("article", articleId), ("url", link.Url), ("title", link.Title), ("related", link.ArticleId), ("rank", (long)rank) })));
        await connection.ExecuteBatchAsync(transaction, rows, cancellationToken);
        return draft.Stored(articleId, topicNames);
    }

    /// <summary>Persists the deliveries the planner chooses among the subscriptions aimed at the article.</summary>
    private static async Task<int> PersistDeliveriesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Article article, IDeliveryPlanner planner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var candidates = await connection.QueryAsync(transaction,
            """
            SELECT s.* FROM subscriptions s
            WHERE NOT s.paused AND (
                s.source_id = @source
                OR s.target = 'all'
                OR (s.topic_key IS NOT NULL AND s.topic_key IN (SELECT tp.key FROM article_topics t JOIN topics tp ON tp.id = t.topic_id WHERE t.article_id = @article)))
            ORDER BY s.id
            """,
            Rows.ReadSubscription, cancellationToken, ("source", article.SourceId), ("article", article.Id));
        var planned = 0;
        foreach (var subscription in planner.Recipients(article, candidates))
        {
            planned += await InsertDeliveryAsync(connection, transaction, subscription, article, now, cancellationToken);
        }

        return planned;
    }

    /// <summary>
    /// One row per channel and article, and per channel and story (the two UNIQUE keys): a second insert is a no-op.
    /// An article whose identity keys the channel was already given is not planned at all; a planned one records its keys.
    /// </summary>
    private static async Task<int> InsertDeliveryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Subscription subscription, Article article, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var planned = await connection.ExecuteAsync(transaction,
            """
            INSERT INTO deliveries (channel_id, article_id, story_id, subscription_id, status, next_attempt_at, created_at)
            SELECT @channel, @article, @story, @subscription, 'pending', @now, @now
            WHERE NOT EXISTS (SELECT 1 FROM article_keys k JOIN delivered_keys d ON d.channel_id = @channel AND d.key = k.key WHERE k.article_id = @article)
            ON CONFLICT DO NOTHING
            """,
            cancellationToken, ("channel", subscription.ChannelId), ("article", article.Id), ("story", article.StoryId), ("subscription", subscription.Id), ("now", now));
        if (planned > 0)
        {
            // The keys that name the same article whatever source row carries it (as the SQLite engine's DeliveredKeyFilter).
            await connection.ExecuteAsync(transaction,
                """
                INSERT INTO delivered_keys (channel_id, key)
                SELECT @channel, k.key FROM article_keys k
                WHERE k.article_id = @article AND (
                    k.key LIKE 'url:%' OR k.key LIKE 'guid:%://%' OR k.key LIKE 'guid:urn:%' OR k.key LIKE 'guid:tag:%' OR length(k.key) >= 37
                    OR (k.key LIKE 'hash:%' AND NOT EXISTS (SELECT 1 FROM article_keys u WHERE u.article_id = k.article_id AND u.key LIKE 'url:%')))
                ON CONFLICT DO NOTHING
                """,
                cancellationToken, ("channel", subscription.ChannelId), ("article", article.Id));
        }

        return planned;
    }
}
