using System.Diagnostics;
using System.Globalization;
using AngleSharp.Html.Parser;
using NewsBot.Benchmarks.Evaluation;
using NewsBot.Benchmarks.Load;
using NewsBot.Reading;

namespace NewsBot.Benchmarks.Reading;

/// <summary>
/// <c>nesting [--depths 4000,16000,100000] [--tags i,div,b,font,a] [--parse]</c>: time of ArticleExtractor.Extract
/// on <see cref="NestedPages"/> of each depth, one run each (milliseconds to minutes, so a Stopwatch is enough), and
/// with --parse AngleSharp's bare parse beside it (minutes at 100,000 levels). Prints JSON; whether the article text
/// came through is part of each row.
/// </summary>
public static class NestingBenchmark
{
    public static string Run(IReadOnlyList<string> args)
    {
        var depths = List(args, "--depths", "4000,16000,100000").Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToList();
        var tags = List(args, "--tags", string.Join(',', NestedPages.Shapes.Select(s => s.Tag)));
        var bareParse = args.Contains("--parse");
        var extractor = new ArticleExtractor();
        var rows = new List<NestingRow>();

        // Compiles the code paths first, so the first row does not pay for the JIT.
        extractor.Extract(NestedPages.Create("i", 2000, NestedPages.Closing.All), null);
        foreach (var (tag, closing) in NestedPages.Shapes.Where(s => tags.Contains(s.Tag)))
        {
            foreach (var depth in depths)
            {
                var html = NestedPages.Create(tag, depth, closing);
                var parse = Stopwatch.StartNew();
                if (bareParse)
                {
                    new HtmlParser().ParseDocument(html).Dispose();
                }

                parse.Stop();
                var extract = Stopwatch.StartNew();
                var article = extractor.Extract(html, new Uri("https://nesting.example/story"));
                extract.Stop();
                var row = new NestingRow(tag, $"{closing}", depth, html.Length, bareParse ? Math.Round(parse.Elapsed.TotalMilliseconds, 1) : null,
                    Math.Round(extract.Elapsed.TotalMilliseconds, 1), article.Text.Contains(NestedPages.Text, StringComparison.Ordinal));
                Console.Error.WriteLine(row);
                rows.Add(row);
            }
        }

        return LoadHarness.ToJson(rows);
    }

    private static string[] List(IReadOnlyList<string> args, string name, string fallback) =>
        (BenchArguments.Text(args, name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private sealed record NestingRow(string Tag, string EndTags, int Depth, int Chars, double? AngleSharpParseMs, double ExtractMs, bool TextFound);
}
