namespace NewsBot.Knowledge;

/// <summary>TF-IDF unit vectors over a small set of documents (the sentences of one article) and their cosine similarity.</summary>
internal sealed class TermSpace
{
    private readonly Dictionary<string, double> _idf = new(StringComparer.Ordinal);
    private readonly double _unseenIdf;

    public TermSpace(IReadOnlyList<List<string>> documents)
    {
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            foreach (var term in document.Distinct(StringComparer.Ordinal))
            {
                documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
            }
        }

        foreach (var (term, count) in documentFrequency)
        {
            _idf[term] = Math.Log((1.0 + documents.Count) / (1.0 + count)) + 1.0;
        }

        _unseenIdf = Math.Log(1.0 + documents.Count) + 1.0;
    }

    public Dictionary<string, double> Weigh(List<string> terms)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            counts[term] = counts.GetValueOrDefault(term) + 1;
        }

        var vector = new Dictionary<string, double>(counts.Count, StringComparer.Ordinal);
        var squares = 0.0;
        foreach (var (term, count) in counts)
        {
            // Terms outside the space (from the title) weigh like the rarest ones.
            var weight = (1 + Math.Log(count)) * _idf.GetValueOrDefault(term, _unseenIdf);
            vector[term] = weight;
            squares += weight * weight;
        }

        // Unit length, so that the cosine of two vectors is their dot product.
        var norm = Math.Sqrt(squares);
        foreach (var term in counts.Keys)
        {
            vector[term] /= norm;
        }

        return vector;
    }

    /// <summary>Cosine similarity of two vectors made by <see cref="Weigh"/>.</summary>
    public static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var dot = 0.0;
        foreach (var (term, weight) in small)
        {
            if (large.TryGetValue(term, out var other))
            {
                dot += weight * other;
            }
        }

        return dot;
    }
}
