namespace NewsBot.Storage.Sqlite;

/// <summary>Topic counts over time windows (trending) and topic names (autocomplete).</summary>
public sealed class SqliteTopicStore(SqliteConnectionFactory connections) : ITopicStore
{
    /// <summary>
    /// Articles per topic in [$from, $to); its plan is tested (the time index, never the whole archive). Counted from
    /// the covering time index before the join, so each topic's name is looked up once, not once per article.
    /// </summary>
    internal const string CountByTopicSql =
        """
        SELECT tp.key, tp.name, c.n
        FROM (SELECT topic_id, COUNT(*) AS n FROM article_topics WHERE sort_at >= $from AND sort_at < $to GROUP BY topic_id) c
        JOIN topics tp ON tp.id = c.topic_id
        """;

    /// <summary>Articles in [$from, $to); its plan is tested.</summary>
    internal const string CountArticlesSql = "SELECT COUNT(*) FROM articles WHERE sort_at >= $from AND sort_at < $to";

    /// <summary>Articles per topic whose time falls in [from, to), with the number of articles in the window.</summary>
    public async Task<TopicCounts> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var counts = await connection.QueryAsync(
            CountByTopicSql,
            r => new TopicCount(r.String("key"), r.String("name"), (int)r.Int64("n")), cancellationToken, ("$from", from), ("$to", to));
        var total = await connection.ScalarAsync<long>(null, CountArticlesSql, cancellationToken, ("$from", from), ("$to", to));
        return new TopicCounts(counts, (int)total);
    }

    /// <summary>Topic names starting with (or containing) what the user typed, most used first.</summary>
    public async Task<IReadOnlyList<string>> SuggestAsync(string typed, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(
            """
            SELECT tp.name FROM topics tp
            WHERE tp.key LIKE $prefix ESCAPE '\' OR tp.key LIKE $infix ESCAPE '\'
            ORDER BY (tp.key LIKE $prefix ESCAPE '\') DESC, (SELECT COUNT(*) FROM article_topics t WHERE t.topic_id = tp.id) DESC
            LIMIT $limit
            """,
            r => r.String("name"), cancellationToken,
            ("$prefix", Escape(typed.ToLowerInvariant()) + "%"), ("$infix", "%" + Escape(typed.ToLowerInvariant()) + "%"), ("$limit", limit));
    }

    private static string Escape(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
