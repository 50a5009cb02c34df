using Microsoft.Data.Sqlite;

namespace NewsBot.Storage;

/// <summary>
/// What "more like this" reads from the archive: word counts, the newest articles holding a word (straight from the
/// full-text index), and the text of a few candidates. The scoring lives in Knowledge (RelatedArticleFinder).
/// </summary>
public sealed class SimilarityStore(SqliteConnectionFactory connections)
{
    /// <summary>One unit of work over one connection (one related-articles lookup).</summary>
    public SimilarityReader Open() => new(connections.Open());
}

/// <summary>An article as similarity scoring reads it.</summary>
public sealed record SimilarityDocument(
    long Id, long SourceId, long StoryId, string? Url, string Title, string? Summary, string? Text, string? Language, DateTimeOffset SortAt);

public sealed class SimilarityReader : IDisposable
{
    /// <summary>The query behind <see cref="NewestWith"/> (parameters $match, $limit); its plan is tested.</summary>
    internal const string NewestWithSql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH $match ORDER BY rowid DESC LIMIT $limit";

    /// <summary>The query behind <see cref="Documents"/> (ids inlined); its plan is tested.</summary>
    internal const string DocumentsSql = "SELECT id, source_id, story_id, url, title, summary, text, language, sort_at FROM articles WHERE id IN ({0})";

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _newest;

    internal SimilarityReader(SqliteConnection connection)
    {
        _connection = connection;
        Counts = new TermCounts(connection, ownsConnection: false);
        _newest = connection.Command(NewestWithSql, ("$match", ""), ("$limit", 0));
    }

    /// <summary>Document counts for IDF (exact up to <see cref="TermCounts.ExactUpTo"/>, estimated beyond).</summary>
    public TermCounts Counts { get; }

    /// <summary>The ids of the newest articles whose indexed text holds the word, newest first.</summary>
    public IReadOnlyList<long> NewestWith(string word, int limit)
    {
        var ids = new List<long>(limit);
        if (!word.Any(char.IsLetterOrDigit))
        {
            return ids;
        }

        _newest.Parameters["$match"].Value = "\"" + word.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        _newest.Parameters["$limit"].Value = limit;
        using var reader = _newest.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>The articles with these ids (missing ones are left out), in no particular order.</summary>
    public IReadOnlyList<SimilarityDocument> Documents(IReadOnlyCollection<long> ids)
    {
        var documents = new List<SimilarityDocument>(ids.Count);
        if (ids.Count == 0)
        {
            return documents;
        }

        using var command = _connection.Command(string.Format(System.Globalization.CultureInfo.InvariantCulture, DocumentsSql, DeliveryStore.IdList(ids)));
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            documents.Add(new SimilarityDocument(
                r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7),
                Sql.FromUnixMs(r.GetInt64(8))));
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
