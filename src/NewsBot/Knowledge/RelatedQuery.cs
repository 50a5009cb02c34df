using NewsBot.Storage;

namespace NewsBot.Knowledge;

/// <summary>
/// The full-text query for "articles like this one": any of the title's rarest content words, so BM25
/// ranks articles sharing the most distinctive terms first. Rare words keep the query cheap on a large archive
/// (short posting lists), where the whole title as one AND query matches little but the article itself.
/// </summary>
public static class RelatedQuery
{
    private const int MaxTerms = 4;
    private const int MinWordLength = 3;

    /// <param name="documentFrequency">How many stored articles contain a word (the archive's index).</param>
    /// <returns>The query, or null when the title has no word another article shares.</returns>
    public static TextQuery? KeyTerms(string title, string? language, Func<string, long> documentFrequency)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(documentFrequency);
        var words = title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(word => new string(word.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant())
            .Where(word => word.Length >= MinWordLength && !StopWords.Contains(language ?? "en", word))
            .Distinct(StringComparer.Ordinal)
            .Select(word => (Word: word, Count: documentFrequency(word)))
            // Counted in this article too: a word only it has relates it to nothing.
            .Where(term => term.Count > 1)
            .OrderBy(term => term.Count)
            .Take(MaxTerms)
            .Select(term => new SearchTerm(term.Word))
            .ToList();
        return words.Count == 0 ? null : TextQuery.AnyOf(words);
    }
}
