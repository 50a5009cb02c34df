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

    public IReadOnlyList<long> Count(IReadOnlyList<string> words) => _counts.Count(words);

    /// <summary>From the words' newest-holder lists in one statement; a word they cannot answer from the full-text index.</summary>
    public IReadOnlyList<IReadOnlyList<long>> NewestWith(IReadOnlyList<string> words, int limit)
    {
        var listed = _counts.Newest(words, limit);
        return words.Select((word, i) => listed[i] ?? FromIndex(word, limit)).ToList();
    }

    /// <summary>The newest holders by the GIN index (no id order: every holder's row is visited, or the id index read back).</summary>
    private IReadOnlyList<long> FromIndex(string word, int limit)
    {
        var ids = new List<long>(limit);
        if (!word.Any(char.IsLetterOrDigit))
        {
            return ids;
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
