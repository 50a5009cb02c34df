namespace NewsBot.Knowledge;

public sealed record SummaryOptions
{
    public int MaxSentences { get; init; } = 3;
    /// <summary>Upper bound on the summary length; whole sentences are dropped (or the first one cut) to fit.</summary>
    public int? MaxCharacters { get; init; }
    /// <summary>The article's title: sentences that share its words are more likely to carry the story.</summary>
    public string? Title { get; init; }
}

/// <summary>The chosen sentences in article order, and the language the text was detected as.</summary>
public sealed record SummaryResult(string? Language, IReadOnlyList<string> Sentences)
{
    /// <summary>The sentences as one paragraph; CJK sentences are joined without spaces.</summary>
    public string Text => string.Join(Language is "zh" or "ja" ? "" : " ", Sentences);
}

/// <summary>
/// Offline extractive summaries in the TextRank/LexRank family: sentences are nodes of a TF-IDF cosine graph,
/// ranked by PageRank whose teleport favours early sentences and sentences close to the title; redundant
/// sentences are skipped (MMR) and the chosen ones keep the article's order. A sentence that opens by pointing back
/// ("He said…", "However, …", see <see cref="BackReference"/>) never opens the summary and is less welcome anywhere
/// without the sentence before it, so the summary reads on its own.
/// </summary>
/// <remarks>
/// The constants were chosen on the odd-numbered half of the BBC summary corpus and checked on the even half
/// (`eval summaries`, docs/benchmarks.md).
/// </remarks>
public sealed class Summarizer
{
    private const double Damping = 0.85;
    private const int Iterations = 30;
    private const double RedundancyWeight = 0.3;
    private const int MinTerms = 4;
    // A mild lead bias: BBC-style references draw from the whole body, real readers still want the lead.
    private const double PositionDecay = 0.1;
    // Longer sentences carry more of the story per slot; capped so one run-on sentence cannot win on length alone.
    private const double LengthExponent = 0.4;
    private const double MaxLengthFactor = 1.25;
    // Taken off the score of a back-referring sentence whose antecedent is not in the summary (scores run 0 to ~1.25).
    private const double DanglingPenalty = 0.05;

    public SummaryResult Summarize(string text, SummaryOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSentences, 1);

        var language = LanguageDetector.Detect(text);
        var sentences = SentenceSplitter.Split(text);
        if (sentences.Count == 0)
        {
            return new SummaryResult(language, []);
        }

        var vectors = sentences.Select(s => TextTokens.ContentTerms(s.Text, language)).ToList();
        var space = new TermSpace(vectors);
        var weighted = vectors.Select(space.Weigh).ToList();
        var similarity = Similarities(weighted);
        var titleVector = options.Title is null ? null : space.Weigh(TextTokens.ContentTerms(options.Title, language));
        var prior = Prior(sentences, vectors, weighted, titleVector);
        var centrality = PageRank(similarity, prior);

        var backReferences = sentences.Select(s => BackReference.StartsWithBackReference(s.Text, language)).ToArray();
        var chosen = Select(vectors, similarity, centrality, backReferences, options.MaxSentences);
        chosen.Sort();
        var texts = Fit(chosen.Select(i => sentences[i].Text).ToList(), options.MaxCharacters);
        return new SummaryResult(language, texts);
    }

    private static double[,] Similarities(List<Dictionary<string, double>> vectors)
    {
        var n = vectors.Count;
        var matrix = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                matrix[i, j] = matrix[j, i] = TermSpace.Cosine(vectors[i], vectors[j]);
            }
        }

        return matrix;
    }

    // News puts the story first: the teleport vector decays with position and rises with closeness to the title.
    private static double[] Prior(List<Sentence> sentences, List<List<string>> terms, List<Dictionary<string, double>> weighted, Dictionary<string, double>? title)
    {
        var prior = new double[sentences.Count];
        var sum = 0.0;
        for (var i = 0; i < prior.Length; i++)
        {
            var position = Math.Pow(i + 1, -PositionDecay);
            var titleBonus = title is null ? 0 : TermSpace.Cosine(weighted[i], title);
            var tooShort = terms[i].Count < MinTerms ? 0.1 : 1.0;
            prior[i] = (position + titleBonus) * tooShort;
            sum += prior[i];
        }

        for (var i = 0; i < prior.Length; i++)
        {
            prior[i] /= sum;
        }

        return prior;
    }

    private static double[] PageRank(double[,] similarity, double[] prior)
    {
        var n = prior.Length;
        var outWeight = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                outWeight[i] += similarity[i, j];
            }
        }

        var rank = (double[])prior.Clone();
        var next = new double[n];
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var dangling = 0.0;
            for (var i = 0; i < n; i++)
            {
                if (outWeight[i] == 0)
                {
                    dangling += rank[i];
                }
            }

            for (var j = 0; j < n; j++)
            {
                var incoming = 0.0;
                for (var i = 0; i < n; i++)
                {
                    if (outWeight[i] > 0)
                    {
                        incoming += rank[i] * similarity[i, j] / outWeight[i];
                    }
                }

                next[j] = ((1 - Damping) * prior[j]) + (Damping * (incoming + (dangling * prior[j])));
            }

            (rank, next) = (next, rank);
        }

        return rank;
    }

    // Maximal marginal relevance: the best-ranked sentence that does not repeat what is already chosen. A sentence that
    // refers back to one not chosen is only eligible behind an earlier chosen sentence, so it never comes first, unless
    // every sentence left refers back (a text of quotes and pronouns): then the best of them opens rather than nothing.
    private static List<int> Select(List<List<string>> terms, double[,] similarity, double[] centrality, bool[] backReferences, int count)
    {
        var max = centrality.Max();
        var meanTerms = Math.Max(1, terms.Average(t => t.Count));
        var chosen = new List<int>();
        while (chosen.Count < Math.Min(count, terms.Count))
        {
            var best = -1;
            var bestScore = double.NegativeInfinity;
            var bestOpener = -1;
            var bestOpenerScore = double.NegativeInfinity;
            for (var i = 0; i < terms.Count; i++)
            {
                if (chosen.Contains(i) || terms[i].Count == 0)
                {
                    continue;
                }

                var redundancy = chosen.Count == 0 ? 0 : chosen.Max(j => similarity[i, j]);
                var length = Math.Min(MaxLengthFactor, Math.Pow(terms[i].Count / meanTerms, LengthExponent));
                var dangles = backReferences[i] && !chosen.Contains(i - 1);
                var score = (centrality[i] / max * length) - (RedundancyWeight * redundancy) - (dangles ? DanglingPenalty : 0);
                if (dangles && !chosen.Exists(j => j < i))
                {
                    if (score > bestOpenerScore)
                    {
                        bestOpenerScore = score;
                        bestOpener = i;
                    }
                }
                else if (score > bestScore)
                {
                    bestScore = score;
                    best = i;
                }
            }

            if (best < 0)
            {
                if (chosen.Count > 0 || bestOpener < 0)
                {
                    break;
                }

                best = bestOpener;
            }

            chosen.Add(best);
        }

        return chosen;
    }

    /// <summary>Keeps the sentences that fit in the limit, in order; a first sentence too long on its own is cut.</summary>
    internal static List<string> Fit(List<string> sentences, int? maxCharacters)
    {
        if (maxCharacters is not { } limit)
        {
            return sentences;
        }

        var fitted = new List<string>();
        var length = 0;
        foreach (var sentence in sentences)
        {
            var added = sentence.Length + (fitted.Count > 0 ? 1 : 0);
            if (length + added > limit)
            {
                continue;
            }

            fitted.Add(sentence);
            length += added;
        }

        if (fitted.Count == 0 && sentences.Count > 0)
        {
            fitted.Add(Cut(sentences[0], limit));
        }

        return fitted;
    }

    private static string Cut(string sentence, int limit)
    {
        if (limit <= 1)
        {
            return "…";
        }

        var space = sentence.LastIndexOf(' ', limit - 1);
        var cut = space > limit / 2 ? sentence[..space] : sentence[..(limit - 1)];
        return cut.TrimEnd() + "…";
    }
}
