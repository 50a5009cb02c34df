using AngleSharp.Html.Parser;
using BenchmarkDotNet.Attributes;
using NewsBot.Benchmarks.Evaluation;
using NewsBot.Reading;

namespace NewsBot.Benchmarks.Reading;

/// <summary>
/// Time per page over all corpus article pages (Zyte + Readability): our extraction beside AngleSharp's bare parse
/// and SmartReader. Each operation processes every page, so the reported mean is per page.
/// Run: dotnet run -c Release --project bench/NewsBot.Benchmarks -- --filter '*ExtractBenchmarks*' --job short
/// Per-page median and p95 of the same three: eval articles --compare.
/// </summary>
[MemoryDiagnoser]
public class ExtractBenchmarks
{
    private const int PageCount = 222;
    private readonly ArticleExtractor _extractor = new();
    private IReadOnlyList<ArticlePage> _pages = [];

    [GlobalSetup]
    public void Setup()
    {
        var corpus = CorpusLocator.Locate() ?? throw new InvalidOperationException("Corpus not found: set NEWSBOT_CORPUS.");
        _pages = [.. ArticlesCorpus.Zyte(corpus), .. ArticlesCorpus.Readability(corpus)];
        if (_pages.Count != PageCount)
        {
            throw new InvalidOperationException($"Expected {PageCount} pages, found {_pages.Count}: update PageCount.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PageCount)]
    public int AngleSharpParse()
    {
        var nodes = 0;
        foreach (var page in _pages)
        {
            nodes += new HtmlParser().ParseDocument(page.Html).All.Length;
        }

        return nodes;
    }

    [Benchmark(OperationsPerInvoke = PageCount)]
    public int ArticleExtractor()
    {
        var length = 0;
        foreach (var page in _pages)
        {
            length += _extractor.Extract(page.Html, page.Url).Paragraphs.Count;
        }

        return length;
    }

    [Benchmark(OperationsPerInvoke = PageCount)]
    public int SmartReader()
    {
        var length = 0;
        foreach (var page in _pages)
        {
            length += new global::SmartReader.Reader(page.Url.ToString(), page.Html).GetArticle().TextContent?.Length ?? 0;
        }

        return length;
    }
}
