using Npgsql;
using NewsBot.Model;

namespace NewsBot.Storage.Postgres;

/// <summary>Search over the weighted tsvector (articles.search, GIN-indexed), ranked by <see cref="SearchRanker"/>.</summary>
public sealed class PostgresSearchIndex(PgConnections connections, PostgresArticleStore articles, TimeProvider time) : ISearchIndex
{
    /// <summary>How many of the newest matches a search ranks.</summary>
    internal const int SearchCandidates = 200;

    /// <summary>
    /// As the SQLite engine: only the newest <see cref="SearchCandidates"/> matches of the query's recent window are
    /// ranked (of the whole archive when the window has fewer than <paramref name="limit"/>), by the same ranker.
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
            // The best plan for a search depends on its words (a rare one through the GIN index, a common one along the
            // id index), which a plan kept for the statement cannot know: with statements kept prepared (PgConnections)
            // p95 went from 8.7 to 73 ms at 1M articles. So a search plans each statement for its own words; the
            // setting lasts until the connection goes back to the pool, which resets it.
            await connection.ExecuteAsync(null, "SET plan_cache_mode = force_custom_plan", cancellationToken);
            using var counts = new PgTermCounts(connection, ownsConnection: false);
            var end = counts.NewestId + 1;
            var windowStart = await connection.ScalarAsync<long?>(null,
                "SELECT id FROM articles WHERE first_seen_at >= @since ORDER BY first_seen_at LIMIT 1", cancellationToken, ("since", now - query.RecentWindow)) ?? end;
            // A last word the index knows is searched whole, as the SQLite engine does: only a word still being typed
            // (unknown as it stands) is a prefix.
            if (terms.Any(term => term.Prefix) && terms.Where(term => term.Prefix).All(term => counts.Matches(term.Term) > 0))
            {
                query = query.WithoutPrefixes();
                terms = SearchRanker.WantedTerms(query);
            }

            if (OneWord(query) is { } word && counts.Newest([word.Text], SearchCandidates)[0] is { } listed)
            {
                // The newest matches overall are the window's newest, then (when the window has fewer than the limit) the
                // newest before it: the same candidates as the two index reads below.
                var newest = listed.Where(id => id < end).ToList();
                var inWindow = newest.Where(id => id >= windowStart).ToList();
                candidates = await ListedCandidatesAsync(connection, inWindow.Count < limit ? newest : inWindow, cancellationToken);
            }
            else
            {
                var order = counts.NewestFirst(counts.UpperBound(query), SearchCandidates);
                candidates = await CandidatesAsync(connection, query, windowStart, end, SearchCandidates, order, cancellationToken);
                if (candidates.Count < limit && windowStart > 0)
                {
                    candidates.AddRange(await CandidatesAsync(connection, query, 0, windowStart, SearchCandidates - candidates.Count, order, cancellationToken));
                }
            }

            if (candidates.Count == 0)
            {
                return [];
            }

            frequencies = terms.Select(term => term.Prefix ? (long?)null : counts.Matches(term.Term)).ToArray();
            documents = Math.Max(counts.NewestId, candidates.Count);
        }

        var ranked = SearchRanker.Rank(terms, candidates, frequencies, documents, now.ToUnixTimeMilliseconds(), limit);
        var found = await articles.GetManyAsync(ranked, cancellationToken);
        var byId = found.ToDictionary(a => a.Id);
        return ranked.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
    }

    /// <summary>The newest matches with ids in [from, to), with what ranking reads.</summary>
    private static Task<List<SearchCandidate>> CandidatesAsync(NpgsqlConnection connection, TextQuery query, long from, long to, int count, string order, CancellationToken cancellationToken)
    {
        var (condition, parameters) = PgTextSearch.Condition(query, "search");
        parameters.AddRange([("from", from), ("to", to), ("candidates", count)]);
        return connection.QueryAsync(null,
            $"SELECT id, sort_at, title, summary, text FROM articles WHERE {condition} AND id >= @from AND id < @to ORDER BY {order} LIMIT @candidates",
            Rows.ReadSearchCandidate, cancellationToken, [.. parameters]);
    }

    /// <summary>The query's only term when it is one whole word or phrase in any field, nothing excluded.</summary>
    private static SearchTerm? OneWord(TextQuery query) =>
        query.NoneOf.Count == 0 && query.AllOf.Where(group => group.Count > 0).ToList() is [[{ Field: SearchField.Any, Prefix: false } term]] ? term : null;

    /// <summary>What ranking reads of the given articles, newest first.</summary>
    private static Task<List<SearchCandidate>> ListedCandidatesAsync(NpgsqlConnection connection, List<long> ids, CancellationToken cancellationToken) =>
        connection.QueryAsync(null, "SELECT id, sort_at, title, summary, text FROM articles WHERE id = ANY(@ids) ORDER BY id DESC",
            Rows.ReadSearchCandidate, cancellationToken, ("ids", ids.ToArray()));

    public ITermCounts OpenTermCounts() => new PgTermCounts(connections.Open(), ownsConnection: true);
}

/// <summary>
/// Document counts over one connection: a word's from term_counts and its pending changes, a search term's from the
/// full-text index (<see cref="TermCountEstimate"/>).
/// </summary>
internal sealed class PgTermCounts : ITermCounts
{
    private readonly NpgsqlConnection _connection;
    private readonly bool _ownsConnection;
    private long? _documents;
    private NpgsqlCommand? _count;
    private NpgsqlCommand? _newest;

    /// <summary>How many of a word's newest holders its term_counts row lists (PgMigrations 9, newsbot_merge_newest).</summary>
    internal const int NewestListed = 200;

    public PgTermCounts(NpgsqlConnection connection, bool ownsConnection)
    {
        _connection = connection;
        _ownsConnection = ownsConnection;
        using var newest = connection.Command(null, "SELECT COALESCE(MAX(id), 0) FROM articles");
        NewestId = (long)newest.ExecuteScalar()!;
    }

    /// <summary>The newest article's id: ids grow with arrival, so about the number of articles ever stored.</summary>
    public long NewestId { get; }

    public long Documents
    {
        get
        {
            if (_documents is null)
            {
                // The empty word's count is every article's (PgMigrations 9) as of the last fold, and its list's first id
                // the newest article folded; the articles stored since are a short range of the id index. Summing the
                // empty word's pending changes instead cost 4.9 ms a time in the load run (one per article since the
                // fold), more than the rest of the count. Deletions not yet folded are still counted. The range's start
                // goes in as a parameter: read from the row inside one statement, it left the planner guessing a third
                // of the table, and a plan kept from when the table was small (statements stay prepared) scanned all of
                // it, 3 ms a time.
                var (articles, newestFolded) = Folded();
                using var since = _connection.Command(null, "SELECT count(*) FROM articles WHERE id > @folded", ("folded", newestFolded));
                _documents = articles + (long)since.ExecuteScalar()!;
            }

            return _documents.Value;
        }
    }

    /// <summary>The archive's size as of the last fold, and the newest article folded (0 before the first).</summary>
    private (long Articles, long NewestId) Folded()
    {
        using var folded = _connection.Command(null, "SELECT articles, newest[1] FROM term_counts WHERE term = ''");
        using var reader = folded.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1)) : (0, 0);
    }

    /// <summary>One word's <see cref="Count(IReadOnlyList{string})"/>.</summary>
    public long Count(string word) => CountLexemes([word])[0].Articles;

    /// <summary>
    /// At most how many articles match the query: per group that must match, the sum of its terms' <see cref="Count"/>
    /// (a phrase's rarest word; a prefix could match anything), the smallest group's.
    /// </summary>
    public long UpperBound(TextQuery query) =>
        query.AllOf.Where(group => group.Count > 0)
            .Select(group => group.Sum(term => term.Prefix ? NewestId : Count(term.Text)))
            .DefaultIfEmpty(0)
            .Min();

    /// <summary>
    /// The ORDER BY that finds the newest <paramref name="wanted"/> of at most <paramref name="matches"/> matches fast.
    /// Read backwards, the id index meets them after about wanted × archive / matches rows, each row's long search
    /// vector read and tested; the GIN index instead visits every match once. The planner cannot weigh that (it takes
    /// a word it has no statistics for as 0.5 % of the archive, and the test as cheap), and read the id index through
    /// a million rows for a rare word (15 s at 1M articles). So: the id index when matches² ≥ wanted × archive, else
    /// "id + 0", which no index provides, leaving the GIN index.
    /// </summary>
    public string NewestFirst(long matches, int wanted) =>
        (double)matches * matches >= (double)wanted * NewestId ? "id DESC" : "id + 0 DESC";

    /// <summary>
    /// For each word, the articles whose search vector holds it (its rarest lexeme), exactly, from term_counts with
    /// its pending changes (PgMigrations 6 and 8). The word is split as the index splits it
    /// (<see cref="PgTextSearch.Indexed"/>, then the 'simple' parser): a word the index holds as several lexemes
    /// ("don't", a CJK run) counts as its rarest part, and as 0 when a part is missing.
    /// </summary>
    public IReadOnlyList<long> Count(IReadOnlyList<string> words) => CountLexemes(words).ConvertAll(word => word.Articles);

    /// <summary>Each word's articles (its rarest lexeme's) and how many lexemes it is indexed as, in one statement.</summary>
    private List<(long Articles, long Lexemes)> CountLexemes(IReadOnlyList<string> words)
    {
        // Asked for an article's 50 most frequent words per /related lookup: parsed and planned once. A lexeme's count
        // is its folded count plus its changes not yet folded (PgTermCountFolder); one statement reads both in one
        // snapshot, and a fold is one transaction, so no change is counted twice or missed. A lexeme no article holds
        // counts 0, and so does the word.
        _count ??= Prepared(
            $"""
            SELECT COALESCE(min(n.articles), 0), count(t.term)
            FROM unnest(@words::text[]) WITH ORDINALITY w(word, ord)
                LEFT JOIN LATERAL unnest(tsvector_to_array(to_tsvector('{PgTextSearch.Config}', w.word))) t(term) ON TRUE
                LEFT JOIN LATERAL (SELECT COALESCE((SELECT c.articles FROM term_counts c WHERE c.term = t.term), 0)
                    + COALESCE((SELECT sum(p.change) FROM term_count_changes p WHERE p.term = t.term), 0)::bigint AS articles) n ON TRUE
            GROUP BY w.ord ORDER BY w.ord
            """);
        _count.Parameters[0].Value = words.Select(PgTextSearch.Indexed).ToArray();
        using var reader = _count.ExecuteReader();
        var counts = new List<(long, long)>(words.Count);
        while (reader.Read())
        {
            counts.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        return counts;
    }

    /// <summary>
    /// For each word, the ids of its newest <paramref name="wanted"/> holders, newest first, from its term_counts list
    /// and the changes not yet folded (PgMigrations 9); null where the list cannot tell: a word the index holds as
    /// several lexemes (a phrase to the index), more wanted than listed, or a list cut short by deletions. The full-text
    /// index answers those.
    /// </summary>
    public IReadOnlyList<long[]?> Newest(IReadOnlyList<string> words, int wanted)
    {
        if (wanted > NewestListed)
        {
            return words.Select(_ => (long[]?)null).ToList();
        }

        // Asked for an article's 16 strongest words per /related lookup: parsed and planned once.
        _newest ??= Prepared(
            $"""
            SELECT CASE WHEN count(t.term) = 1 THEN newsbot_newest(min(t.term), @wanted) END
            FROM unnest(@words::text[]) WITH ORDINALITY w(word, ord)
                LEFT JOIN LATERAL unnest(tsvector_to_array(to_tsvector('{PgTextSearch.Config}', w.word))) t(term) ON TRUE
            GROUP BY w.ord ORDER BY w.ord
            """,
            ("wanted", 0));
        _newest.Parameters[0].Value = words.Select(PgTextSearch.Indexed).ToArray();
        _newest.Parameters[1].Value = wanted;
        using var reader = _newest.ExecuteReader();
        var lists = new List<long[]?>(words.Count);
        while (reader.Read())
        {
            lists.Add(reader.IsDBNull(0) ? null : reader.GetFieldValue<long[]>(0));
        }

        return lists;
    }

    /// <summary>A statement over an array of words (@words, the first parameter), prepared on this connection.</summary>
    private NpgsqlCommand Prepared(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.Command(null, sql, [("words", Array.Empty<string>()), .. parameters]);
        command.Prepare();
        return command;
    }

    /// <summary>
    /// Articles matching a term (whole, in its field): a word anywhere exactly from term_counts; a phrase or a word in
    /// one field exact up to <see cref="TermCountEstimate.ExactUpTo"/>, estimated beyond.
    /// </summary>
    public long Matches(SearchTerm term)
    {
        var (articles, lexemes) = CountLexemes([term.Text])[0];
        if ((lexemes <= 1 && term.Field == SearchField.Any) || articles == 0)
        {
            return articles;
        }

        var (condition, parameters) = PgTextSearch.Condition(TextQuery.AnyOf([term with { Prefix = false }]), "search");
        using var command = _connection.Command(null,
            $"SELECT count(*), COALESCE(min(id), 0) FROM (SELECT id FROM articles WHERE {condition} ORDER BY {NewestFirst(articles, TermCountEstimate.ExactUpTo)} LIMIT {TermCountEstimate.ExactUpTo}) m", [.. parameters]);
        using var reader = command.ExecuteReader();
        return TermCountEstimate.Of(reader, NewestId);
    }

    public void Dispose()
    {
        _count?.Dispose();
        _newest?.Dispose();
        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }
}
