using System.Diagnostics;
using System.Text;
using NewsBot.Feeds.Parsing;

namespace NewsBot.Tests.Feeds.Parsing;

/// <summary>Ill-formed and hostile documents: recovered like a reader would, never expanded, never fetched.</summary>
public sealed class FeedParserRobustnessTests
{
    private static ParsedFeed Parse(string xml, string? contentType = null) =>
        new FeedParser().Parse(Encoding.UTF8.GetBytes(xml), contentType, null).Feed
        ?? throw new Xunit.Sdk.XunitException("expected a feed");

    [Fact]
    public void Parse_BillionLaughs_DoesNotExpandEntities()
    {
        var lols = string.Concat(Enumerable.Range(1, 9).Select(i =>
            $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">"));
        var xml = $"""
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY lol0 "lol">{lols}]>
            <rss version="2.0"><channel><title>&lol9;</title><item><title>ok</title></item></channel></rss>
            """;

        var stopwatch = Stopwatch.StartNew();
        var feed = Parse(xml);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"took {stopwatch.Elapsed}");
        Assert.Equal("&lol9;", feed.Title);
        Assert.Equal("ok", feed.Items.Single().Title);
    }

    [Fact]
    public void Parse_ExternalEntity_IsNeverResolved()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"newsbot-xxe-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "TOP-SECRET");
        try
        {
            var xml = $"""
                <?xml version="1.0"?>
                <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
                <rss version="2.0"><channel><title>t</title><item><title>&xxe;</title><description>&xxe;</description></item></channel></rss>
                """;

            var item = Parse(xml).Items.Single();

            Assert.DoesNotContain("TOP-SECRET", item.Title, StringComparison.Ordinal);
            Assert.DoesNotContain("TOP-SECRET", item.Summary, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Parse_HtmlEntitiesAndBareAmpersands_AreRecovered()
    {
        var feed = Parse("""<rss version="2.0"><channel><title>Caf&eacute; &amp; Bar & Grill&nbsp;&undefined;</title></channel></rss>""");

        Assert.Equal("Café & Bar & Grill &undefined;", feed.Title);
    }

    [Fact]
    public void Parse_UnclosedAndMisnestedTags_KeepsItems()
    {
        var feed = Parse("""
            garbage before the root <<<
            <rss version="2.0"><channel><title>Broken</title>
            <item><title>One</title><link>https://x.example/1</link><description><b>bold <i>both</b></i></description></item>
            <item><title>Two</title><link>https://x.example/2</link>
            </channel>
            """);

        Assert.Equal(["One", "Two"], feed.Items.Select(i => i.Title));
        Assert.Equal("bold both", feed.Items[0].Summary);
        Assert.Equal("https://x.example/2", feed.Items[1].Link);
    }

    [Theory]
    [InlineData("<html><head><title>Home</title></head><body>Welcome</body></html>", "feed.unknown_format")]
    [InlineData("   ", "feed.parse_failed")]
    [InlineData("just some text", "feed.parse_failed")]
    [InlineData("{\"not\": \"a feed\"}", "feed.unknown_format")]
    [InlineData("{ broken json", "feed.parse_failed")]
    public void Parse_NotAFeed_FailsWithReason(string document, string reasonPrefix)
    {
        var result = new FeedParser().Parse(Encoding.UTF8.GetBytes(document), null, null);

        Assert.Null(result.Feed);
        Assert.StartsWith(reasonPrefix, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeeplyNestedDocument_DoesNotOverflow()
    {
        var xml = "<rss><channel><title>deep</title>" + string.Concat(Enumerable.Repeat("<x>", 100_000)) + "</rss>";

        Assert.Equal("deep", Parse(xml).Title);
    }
}
