namespace NewsBot.Storage.Postgres;

/// <summary>Topic counts over time windows (trending) and topic names (autocomplete).</summary>
public sealed class PostgresTopicStore(PgConnections connections) : ITopicStore
{
    public async Task<TopicCounts> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var counts = await connection.QueryAsync(null,
            """
            SELECT tp.key, tp.name, c.n
            FROM (SELECT topic_id, COUNT(*) AS n FROM article_topics WHERE sort_at >= @from AND sort_at < @to GROUP BY topic_id) c
            JOIN topics tp ON tp.id = c.topic_id
            """,
            r => new TopicCount(r.String("key"), r.String("name"), (int)r.Int64("n")), cancellationToken, ("from", from), ("to", to));
        var total = await connection.ScalarAsync<long>(null, "SELECT COUNT(*) FROM articles WHERE sort_at >= @from AND sort_at < @to", cancellationToken, ("from", from), ("to", to));
        return new TopicCounts(counts, (int)total);
    }

    public async Task<IReadOnlyList<string>> SuggestAsync(string typed, int limit, CancellationToken cancellationToken)
    {
        var escaped = typed.ToLowerInvariant().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QueryAsync(null,
            """
            SELECT tp.name FROM topics tp
            WHERE tp.key LIKE @prefix ESCAPE '\' OR tp.key LIKE @infix ESCAPE '\'
            ORDER BY (tp.key LIKE @prefix ESCAPE '\') DESC, (SELECT COUNT(*) FROM article_topics t WHERE t.topic_id = tp.id) DESC
            LIMIT @limit
            """,
            r => r.String("name"), cancellationToken, ("prefix", escaped + "%"), ("infix", "%" + escaped + "%"), ("limit", limit));
    }
}
