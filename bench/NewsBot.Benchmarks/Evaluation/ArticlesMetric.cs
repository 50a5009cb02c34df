using System.Globalization;
using System.Text;

namespace NewsBot.Benchmarks.Evaluation;

/// <summary>One page's share of true positives, false positives and false negatives, normalised to sum 1.</summary>
public readonly record struct ShingleMatch(double TruePositives, double FalsePositives, double FalseNegatives)
{
    /// <summary>Null when there is nothing to divide by (the page is then left out of the mean).</summary>
    public double? Precision => FalsePositives == 0 && FalseNegatives == 0 ? 1
        : TruePositives + FalsePositives == 0 ? null : TruePositives / (TruePositives + FalsePositives);

    public double? Recall => FalsePositives == 0 && FalseNegatives == 0 ? 1
        : TruePositives + FalseNegatives == 0 ? null : TruePositives / (TruePositives + FalseNegatives);
}

public sealed record ArticlesScore(int Pages, double Precision, double Recall)
{
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>
/// The Zyte article-extraction-benchmark metric (corpus README section 3): Python-style Unicode \w+ tokens,
/// multisets of 4-token shingles, per-page TP/FP/FN normalised to sum 1, macro means, F1 of the means.
/// </summary>
public static class ArticlesMetric
{
    private const int ShingleSize = 4;

    public static ShingleMatch Compare(string truth, string prediction)
    {
        var expected = Shingles(truth);
        var actual = Shingles(prediction);
        double tp = 0, fp = 0, fn = 0;
        foreach (var (shingle, count) in actual)
        {
            var expectedCount = expected.GetValueOrDefault(shingle);
            tp += Math.Min(count, expectedCount);
            fp += Math.Max(0, count - expectedCount);
        }

        foreach (var (shingle, count) in expected)
        {
            fn += Math.Max(0, count - actual.GetValueOrDefault(shingle));
        }

        var sum = tp + fp + fn;
        return sum > 0 ? new ShingleMatch(tp / sum, fp / sum, fn / sum) : new ShingleMatch(0, 0, 0);
    }

    public static ArticlesScore Score(IEnumerable<(string Truth, string Prediction)> pages)
    {
        var precisions = new List<double>();
        var recalls = new List<double>();
        var count = 0;
        foreach (var (truth, prediction) in pages)
        {
            count++;
            var match = Compare(truth, prediction);
            if (match.Precision is { } precision)
            {
                precisions.Add(precision);
            }

            if (match.Recall is { } recall)
            {
                recalls.Add(recall);
            }
        }

        return new ArticlesScore(count, precisions.Count == 0 ? 0 : precisions.Average(), recalls.Count == 0 ? 0 : recalls.Average());
    }

    /// <summary>Python's re \w: letters, numbers (decimal, letter-like and other) and the underscore; no combining marks.</summary>
    public static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsWordRune(rune))
            {
                current.Append(rune.ToString());
            }
            else if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    private static bool IsWordRune(Rune rune) => rune.Value == '_' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        _ => false,
    };

    private static Dictionary<string, int> Shingles(string text)
    {
        var tokens = Tokenize(text);
        var shingles = new Dictionary<string, int>(StringComparer.Ordinal);
        if (tokens.Count == 0)
        {
            return shingles;
        }

        // As upstream: a text shorter than one shingle still yields one (shorter) shingle.
        for (var i = 0; i < Math.Max(1, tokens.Count - ShingleSize + 1); i++)
        {
            var key = string.Join('\u0001', tokens.GetRange(i, Math.Min(ShingleSize, tokens.Count - i)));
            shingles[key] = shingles.GetValueOrDefault(key) + 1;
        }

        return shingles;
    }
}
