using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NewsBot.Knowledge;

namespace NewsBot.Benchmarks.Evaluation;

/// <summary>Mean ROUGE F1 (×100) of one system and the mean summary length in scorer tokens.</summary>
public sealed record SystemScores(double Rouge1, double Rouge2, double RougeL, double Tokens);

/// <summary>
/// Summaries that open with a back-reference (a pronoun, demonstrative or contrast word), and summary sentences that
/// do so without the body sentence before them, as shares of all summaries and all summary sentences.
/// </summary>
public sealed record OpenerShares(double FirstSentence, double WithoutAntecedent);

/// <summary>
/// The whole corpus, and its two fixed halves: odd article numbers (the half the Summarizer's constants were tuned
/// on) and even ones (held out, to check that the tuning carries over to text it was not chosen on).
/// </summary>
public sealed record SummariesReport(
    int Articles, SystemScores NewsBot, SystemScores Lead3, SystemScores TuningHalf, SystemScores CheckHalf,
    OpenerShares Openers, double MedianMs, double P95Ms);

/// <summary>
/// "eval summaries [--corpus DIR] [--sentences N]": our Summarizer against Lead-N on summaries/bbc.
/// Lead-N uses the corpus baselines' own splitter so that it reproduces baselines.json.
/// </summary>
public static partial class SummariesEvaluation
{
    public static string Run(string corpus, IReadOnlyList<string> args)
    {
        var sentences = BenchArguments.Int(args, "--sentences", 3);
        var report = Evaluate(corpus, sentences);
        return JsonSerializer.Serialize(new
        {
            articles = report.Articles,
            newsbot = Json(report.NewsBot),
            lead3 = Json(report.Lead3),
            newsbot_tuning_half = Json(report.TuningHalf),
            newsbot_check_half = Json(report.CheckHalf),
            back_reference_openers = new
            {
                first_sentence_share = Math.Round(report.Openers.FirstSentence, 4),
                without_antecedent_share = Math.Round(report.Openers.WithoutAntecedent, 4),
            },
            ms_per_article = new { median = Math.Round(report.MedianMs, 4), p95 = Math.Round(report.P95Ms, 4) },
        });
    }

    public static SummariesReport Evaluate(string corpus, int sentences)
    {
        var articles = SummaryCorpus.Load(corpus);
        var summarizer = new Summarizer();
        var ours = new List<(RougeScores Scores, int Tokens)>();
        var lead = new List<(RougeScores Scores, int Tokens)>();
        var tuning = new List<(RougeScores Scores, int Tokens)>();
        var check = new List<(RougeScores Scores, int Tokens)>();
        var openingBackReferences = 0;
        var sentencesShown = 0;
        var withoutAntecedent = 0;
        var milliseconds = new List<double>();
        // Timings are of the jitted code, as in a long-running bot.
        foreach (var article in articles.Take(20))
        {
            summarizer.Summarize(article.Body, new SummaryOptions { MaxSentences = sentences, Title = article.Title });
        }

        foreach (var article in articles)
        {
            var reference = SummaryRouge.Tokenize(article.Reference);
            var options = new SummaryOptions { MaxSentences = sentences, Title = article.Title };

            var started = Stopwatch.GetTimestamp();
            var summary = summarizer.Summarize(article.Body, options);
            milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var score = Score(summary.Text, reference);
            ours.Add(score);
            (IsTuningHalf(article.Id) ? tuning : check).Add(score);
            lead.Add(Score(string.Join(' ', BaselineSentences(article.Body).Take(sentences)), reference));

            var body = SentenceSplitter.Split(article.Body).Select(sentence => sentence.Text).ToList();
            var positions = summary.Sentences.Select(sentence => body.IndexOf(sentence)).ToList();
            if (summary.Sentences.Count > 0 && BackReference.StartsWithBackReference(summary.Sentences[0], summary.Language))
            {
                openingBackReferences++;
            }

            sentencesShown += summary.Sentences.Count;
            withoutAntecedent += summary.Sentences.Where((sentence, i) =>
                BackReference.StartsWithBackReference(sentence, summary.Language) && !positions.Contains(positions[i] - 1)).Count();
        }

        milliseconds.Sort();
        return new SummariesReport(
            articles.Count,
            Mean(ours),
            Mean(lead),
            Mean(tuning),
            Mean(check),
            new OpenerShares((double)openingBackReferences / articles.Count, (double)withoutAntecedent / Math.Max(1, sentencesShown)),
            milliseconds[milliseconds.Count / 2],
            milliseconds[(int)Math.Min(milliseconds.Count - 1, Math.Ceiling(milliseconds.Count * 0.95) - 1)]);
    }

    /// <summary>Odd article numbers ("bbc:tech/001") are the tuning half, even ones the held-out half.</summary>
    public static bool IsTuningHalf(string id) => int.Parse(id[(id.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture) % 2 == 1;

    /// <summary>
    /// The baselines' splitter: paragraph lines cut at [.!?] (plus closing quotes) followed by whitespace and an
    /// upper-case letter or digit (after an optional opening quote). This exact rule reproduces baselines.json.
    /// </summary>
    public static IEnumerable<string> BaselineSentences(string body) =>
        body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(line => BaselineBoundary().Split(line))
            .Select(sentence => sentence.Trim())
            .Where(sentence => sentence.Length > 0);

    private static (RougeScores, int) Score(string summary, List<string> reference)
    {
        var tokens = SummaryRouge.Tokenize(summary);
        return (SummaryRouge.Score(tokens, reference), tokens.Count);
    }

    private static SystemScores Mean(List<(RougeScores Scores, int Tokens)> scores) => new(
        scores.Average(s => s.Scores.Rouge1),
        scores.Average(s => s.Scores.Rouge2),
        scores.Average(s => s.Scores.RougeL),
        scores.Average(s => s.Tokens));

    private static object Json(SystemScores scores) => new
    {
        rouge1 = Math.Round(scores.Rouge1, 2),
        rouge2 = Math.Round(scores.Rouge2, 2),
        rougeL = Math.Round(scores.RougeL, 2),
        tokens = Math.Round(scores.Tokens, 1),
    };

    [GeneratedRegex("(?<=[.!?][\"'\u201D\u2019)]*)\\s+(?=[\"'\u201C\u2018(]?[A-Z0-9])")]
    private static partial Regex BaselineBoundary();
}
