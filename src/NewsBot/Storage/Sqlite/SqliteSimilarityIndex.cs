using Microsoft.Data.Sqlite;

namespace NewsBot.Storage.Sqlite;

/// <summary>Similarity lookups: word counts from term_counts (<see cref="TermCounts"/>), the FTS5 index and the articles table.</summary>
internal sealed class SqliteSimilarityIndex(SqliteConnectionFactory connections) : ISimilarityIndex
{
    public ISimilarityReader Open() => new SqliteSimilarityReader(connections.Open());
}

internal sealed class SqliteSimilarityReader : ISimilarityReader
{
    private const string NewestWithSql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH $match ORDER BY rowid DESC LIMIT $limit";

    private const string DocumentsSql = "SELECT id, source_id, story_id, url, title, summary, text, language, sort_at FROM articles WHERE id IN ({0})";

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _newest;

    public SqliteSimilarityReader(SqliteConnection connection)
    {
        _connection = connection;
        Counts = new TermCounts(connection, ownsConnection: false);
        _newest = connection.Command(NewestWithSql, ("$match", ""), ("$limit", 0));
    }

    private TermCounts Counts { get; }

    public long ArchiveSize => Counts.NewestId;

    public IReadOnlyList<long> Count(IReadOnlyList<string> words) => words.Select(Counts.Count).ToList();

    /// <summary>In process, each word is its own cheap lookup (FTS5 keeps rowids in order: the newest are read first).</summary>
    public IReadOnlyList<IReadOnlyList<long>> NewestWith(IReadOnlyList<string> words, int limit) =>
        words.Select(word => NewestWith(word, limit)).ToList();

    private IReadOnlyList<long> NewestWith(string word, int limit)
    {
        var ids = new List<long>(limit);
        if (!word.Any(char.IsLetterOrDigit))
        {
            return ids;
        }

        _newest.Parameters["$match"].Value = "\"" + CjkBigrams.Expand(word).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        _newest.Parameters["$limit"].Value = limit;
        using var reader = _newest.ExecuteReader();
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

        using var command = _connection.Command(string.Format(System.Globalization.CultureInfo.InvariantCulture, DocumentsSql, Rows.IdList(ids)));
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            documents.Add(Rows.ReadSimilarityDocument(r));
        }

        return documents;
    }

    public void Dispose()
    {
        _newest.Dispose();
        Counts.Dispose();
        _connection.Dispose();
    }
}
