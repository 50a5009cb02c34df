using Microsoft.Data.Sqlite;
using NewsBot.Model;

namespace NewsBot.Storage.Sqlite;

/// <summary>Search over the FTS5 index (articles_fts: title, summary, text), ranked by <see cref="SearchRanker"/>.</summary>
public sealed class SqliteSearchIndex(SqliteConnectionFactory connections, SqliteArticleStore articles, TimeProvider time) : ISearchIndex
{
    /// <summary>How many of the newest matches a search ranks.</summary>
    internal const int SearchCandidates = 200;

    /// <summary>
    /// The query behind <see cref="SearchAsync"/> (parameters $match, $from, $to, $candidates): the newest matches with
    /// ids in [$from, $to), straight from the full-text index in id order, with what ranking reads; its plan is tested.
    /// </summary>
    internal const string SearchSql =
        """
        SELECT a.id, a.sort_at, a.title, a.summary, a.text
        FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH $match AND rowid >= $from AND rowid < $to ORDER BY rowid DESC LIMIT $candidates) f
        JOIN articles a ON a.id = f.rowid
        """;

    /// <summary>The first id of the articles that arrived since a time ($since): ids grow with arrival.</summary>
    internal const string FirstIdSinceSql = "SELECT id FROM articles WHERE first_seen_at >= $since ORDER BY first_seen_at LIMIT 1";

    /// <summary>
    /// Only the newest <see cref="SearchCandidates"/> matches of the query's recent window are ranked (of the whole
    /// archive when the window has fewer than <paramref name="limit"/>): ids grow with arrival, so the full-text index
    /// hands them over newest first and stops there, where ranking every match of a common word would read a large
    /// share of the archive.
    /// </summary>
    public async Task<List<Article>> SearchAsync(TextQuery query, int limit, CancellationToken cancellationToken)
    {
        var terms = SearchRanker.WantedTerms(query);
        var now = time.GetUtcNow();
        List<SearchCandidate> candidates;
        long?[] frequencies;
        long documents;
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            using var counts = new TermCounts(connection, ownsConnection: false);
            var end = counts.NewestId + 1;
            var windowStart = await connection.ScalarAsync<long?>(null, FirstIdSinceSql, cancellationToken, ("$since", now - query.RecentWindow)) ?? end;
            // A last word the index knows is searched whole: a prefix is merged from every word it starts, over the whole
            // archive, before the first match comes out. Only a word still being typed (unknown as it stands) needs that.
            if (terms.Any(term => term.Prefix) && terms.Where(term => term.Prefix).All(term => counts.Matches(Fts5Match.Whole(term.Term)) > 0))
            {
                query = query.WithoutPrefixes();
                terms = SearchRanker.WantedTerms(query);
            }

            var match = Fts5Match.Of(query);

            candidates = await SearchCandidatesAsync(connection, match, windowStart, end, SearchCandidates, cancellationToken);
            if (candidates.Count < limit && windowStart > 0)
            {
                candidates.AddRange(await SearchCandidatesAsync(connection, match, 0, windowStart, SearchCandidates - candidates.Count, cancellationToken));
            }

            if (candidates.Count == 0)
            {
                return [];
            }

            // A word still being typed has no count of its own (counting every word it starts would cost the merge again).
            frequencies = terms.Select(term => term.Prefix ? (long?)null : counts.Matches(Fts5Match.Whole(term.Term))).ToArray();
            documents = Math.Max(counts.NewestId, candidates.Count);
        }

        var ranked = SearchRanker.Rank(terms, candidates, frequencies, documents, now.ToUnixTimeMilliseconds(), limit);
        var found = await articles.GetManyAsync(ranked, cancellationToken);
        var byId = found.ToDictionary(a => a.Id);
        return ranked.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
    }

    private static Task<List<SearchCandidate>> SearchCandidatesAsync(SqliteConnection connection, string match, long from, long to, int count, CancellationToken cancellationToken) =>
        connection.QueryAsync(
            SearchSql,
            Rows.ReadSearchCandidate,
            cancellationToken, ("$match", match), ("$from", from), ("$to", to), ("$candidates", count));

    public ITermCounts OpenTermCounts() => new TermCounts(connections.Open(), ownsConnection: true);
}

/// <summary>
/// Document counts over one connection. A word's count is one lookup in term_counts, which the schema's triggers keep
/// equal to the full-text index (migration 9). A search expression's count (<see cref="Matches"/>) is read from the
/// index itself and stops at the newest <see cref="ExactUpTo"/> matches: beyond that it is estimated from how densely
/// they fill the newest ids, so an expression matching half the archive costs as little as a rare one.
/// </summary>
internal sealed class TermCounts : ITermCounts
{
    /// <summary>Counts of a search expression up to this many are exact.</summary>
    public const int ExactUpTo = TermCountEstimate.ExactUpTo;

    /// <summary>
    /// The word split as the index splits it ($word, CJK runs already bigrammed), each part's count: a word the index
    /// holds as several tokens ("don't", a CJK run) counts as its rarest part, and as 0 when a part is missing.
    /// </summary>
    internal const string CountSql =
        """
        SELECT count(*) = count(c.term), min(c.articles)
        FROM fts_tokens t LEFT JOIN term_counts c ON c.term = t.token
        WHERE t.input = $word
        """;

    private readonly SqliteConnection _connection;
    private readonly bool _ownsConnection;
    private readonly SqliteCommand _count;
    private readonly SqliteCommand _matches;
    private long? _documents;

    public TermCounts(SqliteConnection connection, bool ownsConnection)
    {
        _connection = connection;
        _ownsConnection = ownsConnection;
        _count = connection.Command(CountSql, ("$word", ""));
        _matches = connection.Command(
            "SELECT count(*), min(rowid) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH $match ORDER BY rowid DESC LIMIT $cap)",
            ("$match", ""), ("$cap", ExactUpTo));
        using var newest = connection.Command("SELECT max(id) FROM articles");
        NewestId = newest.ExecuteScalar() is long id ? id : 0;
    }

    /// <summary>The newest article's id: ids grow with arrival, so about the number of articles ever stored.</summary>
    public long NewestId { get; }

    /// <summary>Articles in the archive when first asked.</summary>
    public long Documents
    {
        get
        {
            if (_documents is null)
            {
                using var count = _connection.Command("SELECT COUNT(*) FROM articles");
                _documents = (long)count.ExecuteScalar()!;
            }

            return _documents.Value;
        }
    }

    /// <summary>Articles whose indexed text contains the word (as the full-text tokenizer folds it), exactly.</summary>
    public long Count(string word)
    {
        _count.Parameters["$word"].Value = CjkBigrams.Expand(word);
        using var reader = _count.ExecuteReader();
        return reader.Read() && reader.GetBoolean(0) && !reader.IsDBNull(1) ? reader.GetInt64(1) : 0;
    }

    /// <summary>Articles matching a safe FTS5 expression: exact up to <see cref="ExactUpTo"/>, estimated beyond.</summary>
    public long Matches(string match)
    {
        _matches.Parameters["$match"].Value = match;
        using var reader = _matches.ExecuteReader();
        return TermCountEstimate.Of(reader, NewestId);
    }

    public void Dispose()
    {
        _count.Dispose();
        _matches.Dispose();
        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }
}
