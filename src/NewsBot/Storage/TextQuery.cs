namespace NewsBot.Storage;

/// <summary>
/// A parsed full-text query, the same for every engine: every group in <see cref="AllOf"/> must match (any one term
/// of a group), no term of <see cref="NoneOf"/> may. Each engine writes it in its own syntax (FTS5 MATCH, tsquery),
/// so user input never reaches a query language.
/// </summary>
public sealed record TextQuery(IReadOnlyList<IReadOnlyList<SearchTerm>> AllOf, IReadOnlyList<SearchTerm> NoneOf)
{
    /// <summary>The recent stretch of the archive searched first; older articles only when it has too few matches.</summary>
    public TimeSpan RecentWindow { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Any one of these terms: "articles like this one".</summary>
    public static TextQuery AnyOf(IReadOnlyList<SearchTerm> terms) => new([terms], []);

    /// <summary>The terms that must or may match, in query order (not the excluded ones).</summary>
    public IEnumerable<SearchTerm> WantedTerms => AllOf.SelectMany(group => group);

    /// <summary>The same query with every term a whole word or phrase (no prefixes).</summary>
    public TextQuery WithoutPrefixes() => this with
    {
        AllOf = AllOf.Select(group => (IReadOnlyList<SearchTerm>)group.Select(term => term with { Prefix = false }).ToList()).ToList(),
    };
}

/// <summary>
/// A word, or a phrase of words in this order, as the user wrote it (the engine tokenizes and folds it as its index
/// does), maybe limited to one field, maybe a prefix of a longer last word (the word still being typed).
/// </summary>
public sealed record SearchTerm(string Text, SearchField Field = SearchField.Any, bool Prefix = false);

/// <summary>The indexed parts of an article, in weight order (title highest).</summary>
public enum SearchField
{
    Any,
    Title,
    Summary,
    Text,
}
