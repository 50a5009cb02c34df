namespace NewsBot.Storage.Sqlite;

/// <summary>
/// Writes a <see cref="TextQuery"/> as an FTS5 MATCH expression. Every term is a quoted string, so *, ^, :, parentheses,
/// NEAR and stray quotes in it are just text (https://www.sqlite.org/fts5.html#full_text_query_syntax); CJK runs are
/// written as the index stores them (<see cref="CjkBigrams"/>), a phrase of bigrams.
/// </summary>
internal static class Fts5Match
{
    /// <summary>The query: groups joined by AND, a group's terms by OR, excluded terms after NOT.</summary>
    public static string Of(TextQuery query)
    {
        var included = string.Join(" AND ", query.AllOf.Where(g => g.Count > 0).Select(g => g.Count == 1 ? Term(g[0]) : "(" + string.Join(" OR ", g.Select(Term)) + ")"));
        return query.NoneOf.Count == 0 ? included : $"({included}) NOT ({string.Join(" OR ", query.NoneOf.Select(Term))})";
    }

    /// <summary>One term, with its column filter and prefix mark.</summary>
    public static string Term(SearchTerm term) => Whole(term) + (term.Prefix ? "*" : "");

    /// <summary>One term as a whole word or phrase (no prefix mark), for counting its documents.</summary>
    public static string Whole(SearchTerm term)
    {
        var quoted = "\"" + CjkBigrams.Expand(term.Text).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        return term.Field == SearchField.Any ? quoted : Column(term.Field) + " : " + quoted;
    }

    private static string Column(SearchField field) => field switch
    {
        SearchField.Title => "title",
        SearchField.Summary => "summary",
        _ => "text",
    };
}
