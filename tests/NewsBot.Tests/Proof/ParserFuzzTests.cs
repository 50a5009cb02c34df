using System.Diagnostics;
using System.IO.Compression;
using NewsBot.Feeds.Parsing;
using NewsBot.Reading;

namespace NewsBot.Tests.Proof;

/// <summary>
/// Property: for any mutation of a real document, FeedParser.Parse and ArticleExtractor.Extract return (a result
/// or a reason) without throwing, within a bounded time. Each test fuzzes for a fixed time budget.
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(8);

    // Generous for a busy 2-core CI machine, and above what AngleSharp's quadratic cost of a few thousand nested
    // tags reaches under load (3.5 s seen; docs/benchmarks.md); a hang or an exponential blow-up still trips it.
    private static readonly TimeSpan PerInputLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public void FeedParserParse_MutatedCorpusFeeds_NeverThrowsAndStaysFast()
    {
        var feeds = TestCorpus.Require("feeds");
        var documents = Directory.EnumerateFiles(Path.Combine(feeds, "conformance"), "*.xml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(feeds, "real"), "*.xml", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes)
            .ToList();
        var parser = new FeedParser();
        var baseUri = new Uri("https://fuzz.test/feed.xml");

        var runs = Fuzz(documents, 1, bytes => parser.Parse(bytes, "application/xml", baseUri));

        Assert.True(runs > 100, $"only {runs} inputs in the budget");
    }

    [Fact]
    public void ArticleExtractorExtract_MutatedCorpusPages_NeverThrowsAndStaysFast()
    {
        var articles = TestCorpus.Require("articles");
        var pages = Directory.EnumerateFiles(articles, "*.html.gz", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Take(60)
            .Select(Gunzip)
            .ToList();
        var extractor = new ArticleExtractor();
        var pageUrl = new Uri("https://fuzz.test/news/story.html");

        var runs = Fuzz(pages, 2, bytes => extractor.Extract(bytes, "text/html", pageUrl));

        Assert.True(runs > 20, $"only {runs} inputs in the budget");
    }

    private static int Fuzz(IReadOnlyList<byte[]> documents, int seed, Action<byte[]> run)
    {
        var mutator = new InputMutator(seed);
        var picker = new Random(seed);
        // The first call pays for JIT compilation; it is not the input's fault.
        run(documents[0]);
        var clock = Stopwatch.StartNew();
        var runs = 0;
        while (clock.Elapsed < Budget)
        {
            var index = picker.Next(documents.Count);
            var input = mutator.Mutate(documents[index]);
            var one = Stopwatch.StartNew();
            try
            {
                run(input);
            }
            catch (Exception ex)
            {
                Assert.Fail($"Input {runs} (document {index}, {mutator.LastMutation}, seed {seed}) threw {ex}");
            }

            Assert.True(one.Elapsed < PerInputLimit, $"Input {runs} (document {index}, {mutator.LastMutation}, seed {seed}) took {one.Elapsed}");
            runs++;
        }

        return runs;
    }

    private static byte[] Gunzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var copy = new MemoryStream();
        gzip.CopyTo(copy);
        return copy.ToArray();
    }
}
