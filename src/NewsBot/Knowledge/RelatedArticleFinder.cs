using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Knowledge;

/// <summary>An archive article related to another, with its similarity (0–1: its score over the article's own).</summary>
public sealed record RelatedArticle(long Id, string Title, string Url, double Similarity);

/// <summary>
/// "More like this" over the archive. The article's query is its most weighted content words (title counted twice,
/// summary and body once; log term frequency × IDF from the archive). Candidates are the newest articles holding each of
/// the strongest words, taken straight from the full-text index, scored by BM25 over the query words and kept only when
/// their score reaches <see cref="MinSimilarity"/> of the article's own and half the best candidate's: a few good links
/// rather than many doubtful ones.
/// Never the article itself or its own story ("also covered by"), never another language unless the two share several
/// names; nearer in time ranks higher. Results are kept for <see cref="Freshness"/>, so a post fanned out to many
/// channels computes them once.
/// </summary>
public sealed class RelatedArticleFinder(ISimilarityIndex store, TimeProvider time)
{
    /// <summary>The most that any caller shows (/related).</summary>
    public const int MaxResults = 5;

    /// <summary>
    /// Below this share of the article's score against itself, a candidate is not related. Chosen with
    /// <see cref="MinShareOfBest"/> on the tuning part of the BBC evaluation (docs/benchmarks.md, "Related articles").
    /// </summary>
    public const double MinSimilarity = 0.16;

    /// <summary>A link much weaker than the best one is more likely wrong than useful.</summary>
    public const double MinShareOfBest = 0.5;

    internal static readonly TimeSpan Freshness = TimeSpan.FromHours(1);

    private const int WeighedTerms = 50;
    private const int QueryTerms = 40;
    private const int RetrievalTerms = 16;
    private const int NewestPerTerm = 80;
    private const int ScoredCandidates = 50;
    private const int TitleRepeats = 2;
    private const int MinSharedNames = 3;
    private const double K1 = 1.2;
    private const double B = 0.75;
    // Nearer in time ranks higher, by at most a tenth of the similarity (a year apart): relevance comes first.
    private const double RecencyWeight = 0.1;
    private const double RecencyDays = 365;
    private const int MaxCachedArticles = 20_000;

    private readonly ConcurrentDictionary<long, (DateTimeOffset At, IReadOnlyList<RelatedArticle> Related)> _results = new();

    /// <summary>Up to <paramref name="count"/> related articles, best first (at most <see cref="MaxResults"/>).</summary>
    public IReadOnlyList<RelatedArticle> Find(Article article, int count)
    {
        ArgumentNullException.ThrowIfNull(article);
        if (count <= 0)
        {
            return [];
        }

        var now = time.GetUtcNow();
        if (_results.TryGetValue(article.Id, out var cached) && now - cached.At < Freshness)
        {
            return cached.Related.Take(count).ToList();
        }

        IReadOnlyList<RelatedArticle> related;
        using (var reader = store.Open())
        {
            related = Compute(reader, article);
        }

        if (_results.Count >= MaxCachedArticles)
        {
            _results.Clear();
        }

        _results[article.Id] = (now, related);
        return related.Take(count).ToList();
    }

    /// <summary>
    /// The page's own related links first (the publisher chose them), then the archive's, without repeats and never the
    /// article itself: at most <paramref name="count"/>, each with its similarity when it came from the archive.
    /// </summary>
    public static List<(RelatedLink Link, double? Similarity)> Combine(Article article, IEnumerable<RelatedLink> pageLinks, IEnumerable<RelatedArticle> archive, int count)
    {
        ArgumentNullException.ThrowIfNull(article);
        var urls = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ids = new HashSet<long> { article.Id };
        if (article.Url is not null)
        {
            urls.Add(article.Url);
        }

        var links = new List<(RelatedLink, double?)>();
        foreach (var (link, similarity) in pageLinks.Select(l => (l, (double?)null)).Concat(archive.Select(a => (new RelatedLink(a.Title, a.Url, a.Id), (double?)a.Similarity))))
        {
            if (links.Count < count && urls.Add(link.Url) && (link.ArticleId is not { } id || ids.Add(id)))
            {
                links.Add((link, similarity));
            }
        }

        return links;
    }

    private List<RelatedArticle> Compute(ISimilarityReader reader, Article article)
    {
        var documents = Math.Max(reader.ArchiveSize, 1);
        var source = TermFrequencies(article.Title, article.Summary, article.Text ?? article.Teaser, article.Language, out var sourceLength);
        var frequent = source
            .OrderByDescending(pair => pair.Value).ThenByDescending(pair => pair.Key.Length).ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Take(WeighedTerms)
            .ToList();
        var frequencies = reader.Count(frequent.ConvertAll(pair => pair.Key));
        var query = frequent
            .Select((pair, i) => (Term: pair.Key, Frequency: frequencies[i], Count: pair.Value))
            // A word no other article has relates the article to nothing.
            .Where(term => term.Frequency > 1)
            .Select(term => new QueryTerm(term.Term, Idf(term.Frequency, documents), (1 + Math.Log(term.Count)) * Idf(term.Frequency, documents)))
            .OrderByDescending(term => term.Weight).ThenBy(term => term.Term, StringComparer.Ordinal)
            .Take(QueryTerms)
            .ToList();
        if (query.Count == 0)
        {
            return [];
        }

        // Candidates: the newest holders of each strong word, ranked first by the weight of the words they share.
        var shared = new Dictionary<long, double>();
        var strongest = query.Take(RetrievalTerms).ToList();
        var holders = reader.NewestWith(strongest.ConvertAll(term => term.Term), NewestPerTerm);
        for (var i = 0; i < strongest.Count; i++)
        {
            foreach (var id in holders[i])
            {
                shared[id] = shared.GetValueOrDefault(id) + strongest[i].Weight;
            }
        }

        shared.Remove(article.Id);
        var candidateIds = shared.OrderByDescending(pair => pair.Value).ThenByDescending(pair => pair.Key).Take(ScoredCandidates).Select(pair => pair.Key).ToList();
        var names = article.Language is null ? [] : Names(article.Title, article.Text ?? article.Summary);
        var counter = new QueryTermCounter(query, names);
        var candidates = reader.Documents(candidateIds)
            .Where(c => c.Id != article.Id && c.StoryId != article.StoryId && c.Url is not null && !string.Equals(c.Url, article.Url, StringComparison.OrdinalIgnoreCase))
            .Select(c => (Document: c, Counts: counter.Count(c.Title, c.Summary, c.Text, c.Language, out var length), Length: length))
            .ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        var averageLength = (candidates.Sum(c => (double)c.Length) + sourceLength) / (candidates.Count + 1);
        var selfScore = Score(query, [.. query.Select(term => source[term.Term])], sourceLength, averageLength);
        var articleTime = article.SortTime;
        var similar = candidates
            .Where(c => article.Language is null || c.Document.Language is null || SameLanguage(article.Language, c.Document.Language) || counter.SharedNames(c.Counts) >= MinSharedNames)
            .Select(c => (c.Document, Similarity: Math.Min(1, Score(query, c.Counts, c.Length, averageLength) / selfScore)))
            .Where(c => c.Similarity >= MinSimilarity)
            .ToList();
        var floor = similar.Count == 0 ? 0 : MinShareOfBest * similar.Max(c => c.Similarity);
        return similar
            .Where(c => c.Similarity >= floor)
            .OrderByDescending(c => c.Similarity * (1 - (RecencyWeight * Math.Min(1, Math.Abs((c.Document.SortAt - articleTime).TotalDays) / RecencyDays))))
            .ThenByDescending(c => c.Document.Id)
            .DistinctBy(c => c.Document.StoryId)
            .DistinctBy(c => c.Document.Title.Trim().ToUpperInvariant())
            .Take(MaxResults)
            .Select(c => new RelatedArticle(c.Document.Id, c.Document.Title, c.Document.Url!, Math.Round(c.Similarity, 3)))
            .ToList();
    }

    /// <summary>BM25 over the query's words (counts[i] is how often query word i occurs), each weighted by how much it says about the query article.</summary>
    private static double Score(List<QueryTerm> query, int[] counts, int length, double averageLength)
    {
        var norm = K1 * (1 - B + (B * length / Math.Max(1, averageLength)));
        var score = 0.0;
        for (var i = 0; i < query.Count; i++)
        {
            if (counts[i] > 0)
            {
                score += query[i].Weight * query[i].Idf * counts[i] * (K1 + 1) / (counts[i] + norm);
            }
        }

        return score;
    }

    private static double Idf(long frequency, long documents) => Math.Log(1 + ((documents - frequency + 0.5) / (frequency + 0.5)));

    /// <summary>
    /// Content words as the full-text index folds them closely enough to count them there: lower case, no stop words,
    /// no bare numbers, no singular folding (the index does not fold plurals).
    /// </summary>
    internal static Dictionary<string, int> TermFrequencies(string title, string? summary, string? body, string? language, out int length)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        length = VisitContentTerms(title, summary, body, language, (term, repeats) => CollectionsMarshal.GetValueRefOrAddDefault(lookup, term, out _) += repeats);
        return counts;
    }

    private delegate void ContentTermVisitor(ReadOnlySpan<char> term, int repeats);

    /// <summary>Each content word of the article (the title's <see cref="TitleRepeats"/> times); returns how many there were.</summary>
    private static int VisitContentTerms(string title, string? summary, string? body, string? language, ContentTermVisitor visit)
    {
        var stopWords = StopWords.For(language).GetAlternateLookup<ReadOnlySpan<char>>();
        var length = 0;
        void Add(string? text, int repeats)
        {
            if (string.IsNullOrEmpty(text))
            {
                return;
            }

            foreach (var term in TextTokens.EnumerateTerms(text))
            {
                if (term.Length > 1 && !IsNumber(term) && !stopWords.Contains(term))
                {
                    visit(term, repeats);
                    length += repeats;
                }
            }
        }

        Add(title, TitleRepeats);
        Add(summary, 1);
        Add(body, 1);
        return length;
    }

    private static bool IsNumber(ReadOnlySpan<char> term)
    {
        foreach (var c in term)
        {
            if (!char.IsDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Words written with a capital inside a sentence: the names an article mentions, lower-cased.</summary>
    internal static HashSet<string> Names(string title, string? text)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in new[] { title, text ?? string.Empty })
        {
            var words = part.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            for (var i = 1; i < words.Length; i++)
            {
                var word = words[i].Trim('"', '\'', '(', ')', ',', ';', ':', '“', '”', '‘', '’', '«', '»');
                if (word.Length > 1 && char.IsUpper(word[0]) && !words[i - 1].EndsWith('.') && !words[i - 1].EndsWith('!') && !words[i - 1].EndsWith('?'))
                {
                    names.Add(word.TrimEnd('.', '!', '?').ToLowerInvariant());
                }
            }
        }

        return names;
    }

    /// <summary>"en", "en-GB" and "EN-us" are one language: feeds declare regions and cases freely.</summary>
    public static bool SameLanguage(string language, string other)
    {
        ArgumentNullException.ThrowIfNull(language);
        ArgumentNullException.ThrowIfNull(other);
        var primary = language.AsSpan(0, PrimaryLength(language));
        return primary.Equals(other.AsSpan(0, PrimaryLength(other)), StringComparison.OrdinalIgnoreCase);
    }

    private static int PrimaryLength(string tag) => tag.IndexOfAny(['-', '_']) is var dash and >= 0 ? dash : tag.Length;

    private sealed record QueryTerm(string Term, double Idf, double Weight);

    /// <summary>
    /// Counts in a candidate only the words scoring asks about (the query's words and the article's names), straight from
    /// the tokenizer's spans: a candidate's other words are never made into strings.
    /// </summary>
    private sealed class QueryTermCounter
    {
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _slots;
        private readonly int _slotCount;
        private readonly int[] _nameSlots;

        public QueryTermCounter(List<QueryTerm> query, HashSet<string> names)
        {
            var slots = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var term in query)
            {
                slots[term.Term] = slots.Count;
            }

            _nameSlots = [.. names.Select(name => slots.TryGetValue(name, out var slot) ? slot : slots[name] = slots.Count)];
            _slotCount = slots.Count;
            _slots = slots.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        /// <summary>How often each query word (by its place in the query), then each name, occurs in the candidate.</summary>
        public int[] Count(string title, string? summary, string? body, string? language, out int length)
        {
            var counts = new int[_slotCount];
            var slots = _slots;
            length = VisitContentTerms(title, summary, body, language, (term, repeats) =>
            {
                if (slots.TryGetValue(term, out var slot))
                {
                    counts[slot] += repeats;
                }
            });
            return counts;
        }

        /// <summary>How many of the article's names the candidate mentions.</summary>
        public int SharedNames(int[] counts) => _nameSlots.Count(slot => counts[slot] > 0);
    }
}
