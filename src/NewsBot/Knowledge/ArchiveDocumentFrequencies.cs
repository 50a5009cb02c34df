using NewsBot.Storage;

namespace NewsBot.Knowledge;

/// <summary>
/// Document frequencies from the stored archive, for keyphrase IDF. Scoped to one unit of work (one refresh),
/// so each term is looked up once per refresh and the archive size once.
/// </summary>
public sealed class ArchiveDocumentFrequencies(ArticleStore articles) : IDocumentFrequencies
{
    private readonly Dictionary<string, long> _terms = new(StringComparer.Ordinal);
    private long? _documents;

    public long DocumentCount => _documents ??= articles.Count();

    /// <summary>A word's count from the index; a phrase counts as its rarest word (an upper bound, cheap to read).</summary>
    public long DocumentFrequency(string term)
    {
        if (_terms.TryGetValue(term, out var cached))
        {
            return cached;
        }

        var words = term.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var count = words.Length == 0 ? 0 : words.Min(articles.DocumentFrequency);
        _terms[term] = count;
        return count;
    }
}
