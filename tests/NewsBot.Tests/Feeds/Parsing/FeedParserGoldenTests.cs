using NewsBot.Cli;
using NewsBot.Feeds.Parsing;

namespace NewsBot.Tests.Feeds.Parsing;

/// <summary>Our own small feeds, one per format, against reviewed `newsbot parse` output.</summary>
public sealed class FeedParserGoldenTests
{
    [Theory]
    [InlineData("rss2.xml", FeedFormat.Rss2)]
    [InlineData("rss1.xml", FeedFormat.Rss1)]
    [InlineData("rss091.xml", FeedFormat.Rss09)]
    [InlineData("atom10.xml", FeedFormat.Atom10)]
    [InlineData("atom03.xml", FeedFormat.Atom03)]
    [InlineData("feed.json", FeedFormat.Json)]
    public void Parse_GoldenFeed_MatchesExpectedJson(string file, FeedFormat format)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Feeds", "Parsing", "TestData");
        var result = new FeedParser().Parse(File.ReadAllBytes(Path.Combine(folder, file)), null, null);

        Assert.Null(result.Error);
        Assert.Equal(format, result.Feed!.Format);
        var expected = File.ReadAllText(Path.Combine(folder, Path.ChangeExtension(file, ".expected.json")));
        // Compared as JSON: layout (indented for one input, one line each for several) is not the contract.
        var actual = System.Text.Json.Nodes.JsonNode.Parse(FeedJson.ToJson(result.Feed, file));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(expected), actual), actual!.ToJsonString());
    }

    [Fact]
    public void Parse_Rss2Extensions_ReadsChannelAndMediaFields()
    {
        var feed = ParseTestData("rss2.xml");

        Assert.Equal(TimeSpan.FromMinutes(30), feed.UpdateInterval);
        Assert.Equal("https://gazette.example/feed.xml", feed.SelfUrl);
        Assert.Equal("https://gazette.example/feed.xml?page=2", feed.NextUrl);
        Assert.Equal("News from the harbour", feed.Description);
        Assert.Equal("https://gazette.example/img/ferry.jpg", feed.Items[0].ImageUrl);
    }

    [Fact]
    public void Parse_RelativeLinks_ResolveAgainstDocumentUri()
    {
        var feed = new FeedParser().Parse(ReadTestData("rss2.xml"), null, new Uri("https://gazette.example/feeds/main.xml")).Feed!;

        Assert.Equal("https://gazette.example/news/ferry?utm_source=rss", feed.Items[0].Link);
    }

    [Fact]
    public void Parse_RssTtl_IsUpdateInterval()
    {
        Assert.Equal(TimeSpan.FromMinutes(90), ParseTestData("rss091.xml").UpdateInterval);
    }

    [Fact]
    public void Parse_NestedRelativeXmlBase_ResolvesLinksAndEnclosures()
    {
        var item = ParseTestData("atom10.xml").Items[0];

        Assert.Equal("https://blog.example/posts/caching", item.Link);
        Assert.Equal(new Enclosure("https://blog.example/posts/caching.pdf", "application/pdf", 2048), item.Enclosures.Single());
    }

    [Fact]
    public void Parse_AtomEntryWithoutLink_UsesUrlIdAndPrefersHtmlAlternate()
    {
        var xml = """
            <feed xmlns="http://www.w3.org/2005/Atom">
              <entry><id>https://blog.example/p/1.html</id><title>A</title></entry>
              <entry><id>urn:x:2</id><title>B</title><link href="https://blog.example/2"/><link rel="alternate" type="text/html" href="https://blog.example/2.html"/></entry>
            </feed>
            """;

        var items = new FeedParser().Parse(System.Text.Encoding.UTF8.GetBytes(xml), null, null).Feed!.Items;

        Assert.Equal("https://blog.example/p/1.html", items[0].Link);
        Assert.Equal("https://blog.example/2.html", items[1].Link);
    }

    private static byte[] ReadTestData(string file) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Feeds", "Parsing", "TestData", file));

    private static ParsedFeed ParseTestData(string file) => new FeedParser().Parse(ReadTestData(file), null, null).Feed!;
}
