using NewsBot.Benchmarks.Evaluation;

namespace NewsBot.Tests.Feeds.Parsing;

/// <summary>
/// The parser against the three reference suites and every real-world snapshot (corpus README §1–2), through the
/// same evaluation `eval feeds` prints. What counts as applicable is written down in FeedsAssertions.
/// </summary>
public sealed class ConformanceTests
{
    private static readonly Lazy<FeedsReport> Report = new(() => FeedsEvaluation.Evaluate(Path.GetDirectoryName(Path.GetDirectoryName(TestCorpus.Require("feeds", "real")))!));

    [Theory]
    [InlineData("feedparser")]
    [InlineData("gofeed")]
    [InlineData("feed-rs")]
    public void Suite_ApplicableCases_PassAtLeast95Percent(string suite)
    {
        TestCorpus.Require("feeds", "conformance");
        var score = Report.Value.Conformance[suite];

        Assert.True(score.Applicable >= score.Cases / 4, $"{suite}: only {score.Applicable} of {score.Cases} cases applicable");
        Assert.True(score.PassRate >= 0.95, $"{suite}: {score.Passed}/{score.Applicable} passed; failures:\n{string.Join('\n', score.Failures)}");
    }

    [Fact]
    public void RealFeeds_EveryFeedParsesWithItems_HtmlPagesFailCleanly()
    {
        TestCorpus.Require("feeds", "real");
        var results = Report.Value.Real.Results;

        Assert.Equal(218, results.Count);
        var referenceCounts = ReferenceEntryCounts();
        foreach (var result in results)
        {
            Assert.DoesNotContain("exception", result.Error ?? string.Empty, StringComparison.Ordinal);
            if (result.Format is "html" or "html-fragment")
            {
                Assert.StartsWith("feed.unknown_format", result.Error, StringComparison.Ordinal);
            }
            else
            {
                // At least the entries feedparser found; a feed can be legitimately empty (a search with no hits).
                var reference = referenceCounts[result.File];
                Assert.True(result.Error is null, $"{result.File}: {result.Error}");
                Assert.True(result.Items >= reference && (result.Items > 0 || reference == 0), $"{result.File}: {result.Items} items, feedparser found {reference}");
            }
        }
    }

    /// <summary>Entry counts of the reference parse by Debian's feedparser 6.0.10 (corpus README §2).</summary>
    private static Dictionary<string, int> ReferenceEntryCounts() =>
        File.ReadLines(TestCorpus.Require("feeds", "real", "reference-feedparser-6.0.10.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line => System.Text.Json.Nodes.JsonNode.Parse(line)!)
            .ToDictionary(node => ((string)node["id"]!)["real:".Length..], node => (int?)node["entryCount"] ?? 0, StringComparer.Ordinal);
}
