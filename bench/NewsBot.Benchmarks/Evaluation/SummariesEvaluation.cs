using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NewsBot.Knowledge;

namespace NewsBot.Benchmarks.Evaluation;

/// <summary>Mean ROUGE F1 (×100) of one system and the mean summary length in scorer tokens.</summary>
public sealed record SystemScores(double Rouge1, double Rouge2, double RougeL, double Tokens);

public sealed record SummariesReport(int Articles, SystemScores NewsBot, SystemScores Lead3, double MedianMs, double P95Ms);

/// <summary>
/// "eval summaries [--corpus DIR] [--sentences N]": our Summarizer against Lead-N on summaries/bbc.
/// Lead-N uses the corpus baselines' own splitter so that it reproduces baselines.json.
/// </summary>
public static partial class SummariesEvaluation
{
    public static string Run(string corpus, IReadOnlyList<string> args)
    {
        var sentences = int.Parse(CorpusLocator.ArgumentValue(args, "--sentences") ?? "3", CultureInfo.InvariantCulture);
        var report = Evaluate(corpus, sentences);
        return JsonSerializer.Serialize(new
        {
            articles = report.Articles,
            newsbot = Json(report.NewsBot),
            lead3 = Json(report.Lead3),
            ms_per_article = new { median = Math.Round(report.MedianMs, 4), p95 = Math.Round(report.P95Ms, 4) },
        });
    }

    public static SummariesReport Evaluate(string corpus, int sentences)
    {
        var articles = SummaryCorpus.Load(corpus);
        var summarizer = new Summarizer();
        var ours = new List<(RougeScores Scores, int Tokens)>();
        var lead = new List<(RougeScores Scores, int Tokens)>();
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
            ours.Add(Score(summary.Text, reference));
            lead.Add(Score(string.Join(' ', BaselineSentences(article.Body).Take(sentences)), reference));
        }

        milliseconds.Sort();
        return new SummariesReport(
            articles.Count,
            Mean(ours),
            Mean(lead),
            milliseconds[milliseconds.Count / 2],
            milliseconds[(int)Math.Min(milliseconds.Count - 1, Math.Ceiling(milliseconds.Count * 0.95) - 1)]);
    }

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
