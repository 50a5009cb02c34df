using System.Numerics;

namespace NewsBot.Knowledge;

/// <summary>A stored article that may tell the same story: the store picks recent ones from other sources.</summary>
public sealed record StoryCandidate(long ArticleId, string Title, string? Lead, long? Fingerprint);

/// <summary>A story candidate ready for comparison: its fingerprint and content words.</summary>
public sealed record StoryShape(long ArticleId, long? Fingerprint, IReadOnlySet<string> Words);

/// <summary>
/// Recognises the same story told twice. <see cref="Compute"/> gives a 64-bit SimHash of title and lead (stored
/// as INTEGER) that catches syndicated copies cheaply (<see cref="IsNearDuplicate"/>); <see cref="IsSameStory"/>
/// compares the content words of title and lead, which also catches two outlets' own wording of one event.
/// </summary>
public static class StoryFingerprint
{
    /// <summary>
    /// Copies of one text differ in at most this many of 64 bits. Title and lead give only a few dozen features,
    /// so one edited word moves several bits; unrelated texts differ in about 32 ± 4 bits, and 6 or fewer by
    /// chance has a probability near 1e-11.
    /// </summary>
    public const int NearDuplicateDistance = 6;

    /// <summary>Share of content words (Jaccard) above which two articles tell the same story.</summary>
    public const double SameStoryThreshold = 0.25;

    /// <summary>Fewer shared words than this is chance, whatever the ratio (very short titles).</summary>
    public const int MinSharedTerms = 4;

    private const int LeadSentences = 2;
    private const int LeadCharacters = 400;

    /// <summary>The first sentences of a text, as much of it as fingerprints and story checks look at.</summary>
    public static string? Lead(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lead = string.Join(' ', SentenceSplitter.Split(text).Take(LeadSentences).Select(s => s.Text));
        return lead.Length <= LeadCharacters ? lead : lead[..LeadCharacters];
    }

    public static long Compute(string title, string? lead)
    {
        ArgumentNullException.ThrowIfNull(title);
        Span<int> bits = stackalloc int[64];
        var language = LanguageDetector.Detect(lead is null ? title : title + "\n" + lead);
        // Headline words count twice: they are what an editor chose to say about the story.
        AddFeatures(title, language, 2, bits);
        if (lead is not null)
        {
            AddFeatures(lead, language, 1, bits);
        }

        ulong hash = 0;
        for (var bit = 0; bit < 64; bit++)
        {
            if (bits[bit] > 0)
            {
                hash |= 1UL << bit;
            }
        }

        return unchecked((long)hash);
    }

    public static int Distance(long a, long b) => BitOperations.PopCount(unchecked((ulong)(a ^ b)));

    public static bool IsNearDuplicate(long a, long b) => Distance(a, b) <= NearDuplicateDistance;

    /// <summary>Jaccard similarity of the content words of title and lead.</summary>
    public static double Similarity(string titleA, string? leadA, string titleB, string? leadB) =>
        Jaccard(ContentSet(titleA, leadA), ContentSet(titleB, leadB)).Similarity;

    public static bool IsSameStory(string titleA, string? leadA, string titleB, string? leadB) =>
        IsNearDuplicate(Compute(titleA, leadA), Compute(titleB, leadB))
        || IsSameStory(Jaccard(ContentSet(titleA, leadA), ContentSet(titleB, leadB)));

    /// <summary>
    /// The candidate that tells the same story as a new article: a near-duplicate fingerprint first, else the
    /// most similar one above the threshold; null when none does.
    /// </summary>
    public static long? FindSameStory(string title, string? lead, IEnumerable<StoryCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return FindSameStory(title, lead, candidates.Select(c => Prepare(c.ArticleId, c.Title, c.Lead, c.Fingerprint)));
    }

    /// <summary>A candidate with its content words worked out once, for comparing against many new articles.</summary>
    public static StoryShape Prepare(long articleId, string title, string? lead, long? fingerprint) =>
        new(articleId, fingerprint, ContentSet(title, lead));

    /// <inheritdoc cref="FindSameStory(string, string?, IEnumerable{StoryCandidate})"/>
    public static long? FindSameStory(string title, string? lead, IEnumerable<StoryShape> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var fingerprint = Compute(title, lead);
        var words = ContentSet(title, lead);
        long? best = null;
        var bestSimilarity = 0.0;
        foreach (var candidate in candidates)
        {
            // 0 is the fingerprint of a text without content words: it says nothing.
            if (fingerprint != 0 && candidate.Fingerprint is { } other and not 0 && IsNearDuplicate(fingerprint, other))
            {
                return candidate.ArticleId;
            }

            var overlap = Jaccard(words, candidate.Words);
            if (IsSameStory(overlap) && overlap.Similarity > bestSimilarity)
            {
                best = candidate.ArticleId;
                bestSimilarity = overlap.Similarity;
            }
        }

        return best;
    }

    private static bool IsSameStory((int Shared, double Similarity) overlap) =>
        overlap.Shared >= MinSharedTerms && overlap.Similarity >= SameStoryThreshold;

    private static (int Shared, double Similarity) Jaccard(HashSet<string> a, IReadOnlySet<string> b)
    {
        var shared = a.Count(b.Contains);
        var union = a.Count + b.Count - shared;
        return (shared, union == 0 ? 0 : (double)shared / union);
    }

    private static HashSet<string> ContentSet(string title, string? lead)
    {
        var text = lead is null ? title : title + "\n" + lead;
        return TextTokens.ContentTerms(text, LanguageDetector.Detect(text)).ToHashSet(StringComparer.Ordinal);
    }

    // Word unigrams and bigrams (shingles); unspaced scripts already arrive as character bigrams.
    private static void AddFeatures(string text, string? language, int weight, Span<int> bits)
    {
        var terms = TextTokens.ContentTerms(text, language);
        for (var i = 0; i < terms.Count; i++)
        {
            Add(Hash(terms[i]), weight, bits);
            if (i + 1 < terms.Count)
            {
                Add(Hash(terms[i] + " " + terms[i + 1]), weight, bits);
            }
        }
    }

    private static void Add(ulong hash, int weight, Span<int> bits)
    {
        for (var bit = 0; bit < 64; bit++)
        {
            bits[bit] += (hash & (1UL << bit)) != 0 ? weight : -weight;
        }
    }

    // FNV-1a, then the SplitMix64 finaliser so that similar strings spread over all 64 bits. Stable across
    // processes and versions, unlike string.GetHashCode: fingerprints are stored.
    private static ulong Hash(string feature)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in feature)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }

        hash = unchecked((hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL);
        hash = unchecked((hash ^ (hash >> 27)) * 0x94D049BB133111EBUL);
        return hash ^ (hash >> 31);
    }
}
