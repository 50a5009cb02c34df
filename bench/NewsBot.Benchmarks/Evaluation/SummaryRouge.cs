using System.Text.RegularExpressions;

namespace NewsBot.Benchmarks.Evaluation;

/// <summary>ROUGE F1 scores of one summary, ×100.</summary>
public sealed record RougeScores(double Rouge1, double Rouge2, double RougeL);

/// <summary>
/// ROUGE as rouge-score computes it by default: lower-case, [a-z0-9]+ tokens, no stemmer, clipped n-gram
/// counts for ROUGE-N, and ROUGE-L from the longest common subsequence of the whole token sequences.
/// </summary>
public static partial class SummaryRouge
{
    public static List<string> Tokenize(string text) =>
        Token().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToList();

    public static RougeScores Score(IReadOnlyList<string> hypothesis, IReadOnlyList<string> reference) =>
        new(NGram(hypothesis, reference, 1) * 100, NGram(hypothesis, reference, 2) * 100, Lcs(hypothesis, reference) * 100);

    private static double NGram(IReadOnlyList<string> hypothesis, IReadOnlyList<string> reference, int n)
    {
        var hypothesisGrams = Count(hypothesis, n);
        var referenceGrams = Count(reference, n);
        var overlap = 0;
        foreach (var (gram, count) in hypothesisGrams)
        {
            overlap += Math.Min(count, referenceGrams.GetValueOrDefault(gram));
        }

        return F1(overlap, hypothesisGrams.Values.Sum(), referenceGrams.Values.Sum());
    }

    private static Dictionary<string, int> Count(IReadOnlyList<string> tokens, int n)
    {
        var grams = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= tokens.Count; i++)
        {
            var gram = n == 1 ? tokens[i] : string.Join(' ', tokens.Skip(i).Take(n));
            grams[gram] = grams.GetValueOrDefault(gram) + 1;
        }

        return grams;
    }

    private static double Lcs(IReadOnlyList<string> hypothesis, IReadOnlyList<string> reference)
    {
        var previous = new int[reference.Count + 1];
        var current = new int[reference.Count + 1];
        foreach (var token in hypothesis)
        {
            for (var j = 1; j <= reference.Count; j++)
            {
                current[j] = token == reference[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return F1(previous[reference.Count], hypothesis.Count, reference.Count);
    }

    private static double F1(int overlap, int hypothesisCount, int referenceCount)
    {
        if (overlap == 0 || hypothesisCount == 0 || referenceCount == 0)
        {
            return 0;
        }

        var precision = (double)overlap / hypothesisCount;
        var recall = (double)overlap / referenceCount;
        return 2 * precision * recall / (precision + recall);
    }

    [GeneratedRegex("[a-z0-9]+")]
    private static partial Regex Token();
}
