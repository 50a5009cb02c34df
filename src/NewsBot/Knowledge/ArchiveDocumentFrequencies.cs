using NewsBot.Storage;

namespace NewsBot.Knowledge;

/// <summary>
/// Document frequencies from the stored archive, for keyphrase IDF. Scoped to one unit of work (one refresh):
/// one connection for all lookups, each term looked up once.
/// </summary>
public sealed class ArchiveDocumentFrequencies(ISearchIndex index) : IDocumentFrequencies, IDisposable
{
    private readonly Dictionary<string, long> _terms = new(StringComparer.Ordinal);
    private ITermCounts? _counts;

    private ITermCounts Counts => _counts ??= index.OpenTermCounts();

    public long DocumentCount => Counts.Documents;

    /// <summary>A word's count from the index; a phrase counts as its rarest word (an upper bound, cheap to read).</summary>
    public long DocumentFrequency(string term)
    {
        if (_terms.TryGetValue(term, out var cached))
        {
            return cached;
        }

        var words = term.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var count = words.Length == 0 ? 0 : words.Min(Counts.Count);
        _terms[term] = count;
        return count;
    }

    public void Dispose() => _counts?.Dispose();
}
