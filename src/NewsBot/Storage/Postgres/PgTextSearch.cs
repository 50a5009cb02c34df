using System.Globalization;
using System.Text;

namespace NewsBot.Storage.Postgres;

/// <summary>
/// The full-text side of the PostgreSQL engine: what the tsvector of an article is built from, and a
/// <see cref="TextQuery"/> written as an SQL condition over it. Every term's text goes in as a parameter to
/// phraseto_tsquery, which accepts any text (quotes, operators, lone punctuation) and never raises; only the shape of
/// the condition (AND, OR, NOT, which weights) is written by this code.
/// </summary>
internal static class PgTextSearch
{
    /// <summary>The 'simple' configuration: no stemming or stop words, so every language is indexed alike.</summary>
    public const string Config = "simple";

    /// <summary>
    /// What one column is indexed as: CJK runs as bigrams (<see cref="CjkBigrams"/>), folded as the ranking folds
    /// words (lower case, no diacritics), so matching does not depend on the server's locale.
    /// </summary>
    public static string Indexed(string? text) => text is null ? "" : SearchRanker.Fold(CjkBigrams.Expand(text));

    /// <summary>
    /// The search vector of an article from its three <see cref="Indexed"/> columns, given as SQL expressions: title
    /// weighted A, summary B, text C.
    /// </summary>
    public static string Vector(string title, string summary, string text) =>
        $"setweight(to_tsvector('{Config}', {title}), 'A') || setweight(to_tsvector('{Config}', {summary}), 'B') || setweight(to_tsvector('{Config}', {text}), 'C')";

    /// <summary>One term as a tsquery expression over parameter <paramref name="parameter"/> (a phrase, maybe a prefix).</summary>
    public static string TermQuery(SearchTerm term, string parameter) =>
        term.Prefix ? $"newsbot_prefix(phraseto_tsquery('{Config}', @{parameter}))" : $"phraseto_tsquery('{Config}', @{parameter})";

    /// <summary>The query as a condition on <paramref name="column"/>, with the parameters it names.</summary>
    public static (string Sql, List<(string Name, object? Value)> Parameters) Condition(TextQuery query, string column)
    {
        var parameters = new List<(string Name, object? Value)>();
        string Term(SearchTerm term)
        {
            var name = "t" + parameters.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add((name, Indexed(term.Text)));
            var match = $"{column} @@ {TermQuery(term, name)}";
            // A term limited to one field must also match within that field's weight; the whole-vector match keeps the
            // GIN index in use.
            return term.Field == SearchField.Any ? match : $"({match} AND ts_filter({column}, '{{{Weight(term.Field)}}}') @@ {TermQuery(term, name)})";
        }

        var groups = query.AllOf.Where(g => g.Count > 0).Select(g => "(" + string.Join(" OR ", g.Select(Term)) + ")").ToList();
        var sql = new StringBuilder(groups.Count == 0 ? "FALSE" : string.Join(" AND ", groups));
        if (query.NoneOf.Count > 0)
        {
            sql.Append(" AND NOT (").Append(string.Join(" OR ", query.NoneOf.Select(Term))).Append(')');
        }

        return (sql.ToString(), parameters);
    }

    private static char Weight(SearchField field) => field switch
    {
        SearchField.Title => 'a',
        SearchField.Summary => 'b',
        _ => 'c',
    };
}
