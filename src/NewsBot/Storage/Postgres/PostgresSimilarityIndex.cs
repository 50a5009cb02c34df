using Npgsql;

namespace NewsBot.Storage.Postgres;

/// <summary>Similarity lookups served from term_counts (counts, newest holders: <see cref="PgTermCounts"/>), the tsvector index and the articles table.</summary>
internal sealed class PostgresSimilarityIndex(PgConnections connections) : ISimilarityIndex
{
    public ISimilarityReader Open() => new PostgresSimilarityReader(connections.Open());
}

internal sealed class PostgresSimilarityReader(NpgsqlConnection connection) : ISimilarityReader
{
    private readonly PgTermCounts _counts = new(connection, ownsConnection: false);

    public long ArchiveSize => _counts.NewestId;

    public long Count(string word) => _counts.Count(word);

    public IReadOnlyList<long> NewestWith(string word, int limit)
    {
        var ids = new List<long>(limit);
        if (!word.Any(char.IsLetterOrDigit))
        {
            return ids;
        }

        if (_counts.Newest(word, limit) is { } listed)
        {
            return listed;
        }

        var (condition, parameters) = PgTextSearch.Condition(TextQuery.AnyOf([new SearchTerm(word)]), "search");
        using var command = connection.Command(null, $"SELECT id FROM articles WHERE {condition} ORDER BY {_counts.NewestFirst(_counts.Count(word), limit)} LIMIT {limit}", [.. parameters]);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    public IReadOnlyList<SimilarityDocument> Documents(IReadOnlyCollection<long> ids)
    {
        var documents = new List<SimilarityDocument>(ids.Count);
        if (ids.Count == 0)
        {
            return documents;
        }

        using var command = connection.Command(null, $"SELECT id, source_id, story_id, url, title, summary, text, language, sort_at FROM articles WHERE id IN ({Rows.IdList(ids)})");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            documents.Add(Rows.ReadSimilarityDocument(reader));
        }

        return documents;
    }

    public void Dispose()
    {
        _counts.Dispose();
        connection.Dispose();
    }
}
