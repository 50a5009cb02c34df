using System.Diagnostics;
using System.Text.Json;
using NewsBot.Reading;

namespace NewsBot.Benchmarks.Evaluation;

/// <summary>
/// `eval articles`: ArticleExtractor's text quality on the Zyte and Readability pages (Zyte metric) and its time per page (best of three runs).
/// To stderr: `--details` every page's precision and recall (worst first); `--compare` per-page times
/// of AngleSharp's parse, ours and SmartReader plus SmartReader's Zyte score; `--dump ID[,ID…]` only those pages' text beside their truth.
/// </summary>
public static class ArticlesEvaluation
{
    public static string Run(string corpus, IReadOnlyList<string> args)
    {
        var extractor = new ArticleExtractor();
        var zyte = ArticlesCorpus.Zyte(corpus);
        var readability = ArticlesCorpus.Readability(corpus);
        if (BenchArguments.Text(args, "--dump") is { } dumpIds)
        {
            // Shows pages' extraction beside their truth, for looking into a low score, and nothing else.
            foreach (var dumpId in dumpIds.Split(','))
            {
                var page = zyte.Concat(readability).Single(page => page.Id.StartsWith(dumpId, StringComparison.Ordinal));
                var match = ArticlesMetric.Compare(page.Truth, extractor.Extract(page.Html, page.Url).Text);
                Console.Error.WriteLine(FormattableString.Invariant($"=== {page.Id} precision {match.Precision:F3} recall {match.Recall:F3}"));
                Console.Error.WriteLine($"--- extracted\n{extractor.Extract(page.Html, page.Url).Text}\n--- truth\n{page.Truth}");
            }

            return "{}";
        }

        var zyteResults = Evaluate(extractor, zyte);
        var readabilityResults = Evaluate(extractor, readability);

        // Timed after the quality pass, which has warmed up the JIT (tiered compilation) and AngleSharp.
        var times = BestTimes(zyte.Concat(readability).ToList(), page => extractor.Extract(page.Html, page.Url));
        if (args.Contains("--compare"))
        {
            Compare(zyte.Concat(readability).ToList(), zyte);
        }

        if (args.Contains("--details"))
        {
            foreach (var (id, match) in zyteResults.Concat(readabilityResults).OrderBy(result => Math.Min(result.Match.Precision ?? 0, result.Match.Recall ?? 0)))
            {
                Console.Error.WriteLine(FormattableString.Invariant($"{match.Precision:F3} {match.Recall:F3} {id}"));
            }
        }

        return JsonSerializer.Serialize(new
        {
            zyte = Summary(zyteResults.Select(result => result.Match)),
            readability = Summary(readabilityResults.Select(result => result.Match)),
            ms_per_page = new { median = Round(Percentile(times, 0.5)), p95 = Round(Percentile(times, 0.95)) },
        });
    }

    /// <summary>Per-page times of AngleSharp's bare parse, our extractor and SmartReader, and SmartReader's Zyte score, to stderr.</summary>
    private static void Compare(IReadOnlyList<ArticlePage> pages, IReadOnlyList<ArticlePage> zyte)
    {
        var extractor = new ArticleExtractor();
        var contenders = new (string Name, Func<ArticlePage, string> Run)[]
        {
            ("anglesharp_parse", page => new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page.Html).Title ?? string.Empty),
            ("article_extractor", page => extractor.Extract(page.Html, page.Url).Text),
            ("smartreader", page => new SmartReader.Reader(page.Url.ToString(), page.Html).GetArticle().TextContent ?? string.Empty),
        };
        foreach (var (name, run) in contenders)
        {
            var times = BestTimes(pages, page => run(page));
            Console.Error.WriteLine(FormattableString.Invariant($"{name}: median {Percentile(times, 0.5):F2} ms, p95 {Percentile(times, 0.95):F2} ms"));
        }

        var smartReader = ArticlesMetric.Score(zyte.Select(page => (page.Truth, contenders[2].Run(page))));
        Console.Error.WriteLine(FormattableString.Invariant($"smartreader zyte: precision {smartReader.Precision:F4} recall {smartReader.Recall:F4} f1 {smartReader.F1:F4}"));
    }

    public static ArticlesScore ScoreZyte(ArticleExtractor extractor, IReadOnlyList<ArticlePage> pages) =>
        ArticlesMetric.Score(pages.Select(page => (page.Truth, extractor.Extract(page.Html, page.Url).Text)));

    private static List<(string Id, ShingleMatch Match)> Evaluate(ArticleExtractor extractor, IReadOnlyList<ArticlePage> pages) =>
        pages.Select(page => (page.Id, ArticlesMetric.Compare(page.Truth, extractor.Extract(page.Html, page.Url).Text))).ToList();

    /// <summary>
    /// Each page's best time of three passes over all pages, sorted. The machine is shared and other processes only
    /// ever add time; later passes also run code the JIT has had time to optimise.
    /// </summary>
    private static List<double> BestTimes(IReadOnlyList<ArticlePage> pages, Action<ArticlePage> run)
    {
        var best = Enumerable.Repeat(double.MaxValue, pages.Count).ToArray();
        for (var pass = 0; pass < 3; pass++)
        {
            for (var i = 0; i < pages.Count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                run(pages[i]);
                best[i] = Math.Min(best[i], Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        return [.. best.Order()];
    }

    private static object Summary(IEnumerable<ShingleMatch> matches)
    {
        var list = matches.ToList();
        var precisions = list.Where(match => match.Precision is not null).Select(match => match.Precision!.Value).DefaultIfEmpty(0).Average();
        var recalls = list.Where(match => match.Recall is not null).Select(match => match.Recall!.Value).DefaultIfEmpty(0).Average();
        var score = new ArticlesScore(list.Count, precisions, recalls);
        return new { pages = score.Pages, precision = Round(score.Precision), recall = Round(score.Recall), f1 = Round(score.F1) };
    }

    private static double Percentile(List<double> sorted, double fraction) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];

    private static double Round(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);
}
