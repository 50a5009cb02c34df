using System.Text;
using NewsBot.Cli;
using NewsBot.Feeds.Parsing;

namespace NewsBot.Tests.Feeds.Parsing;

/// <summary>Feed details beyond the basics: versions as written, several links, category labels, text types, fractions of a second.</summary>
public sealed class FeedDetailsTests
{
    [Theory]
    [InlineData("<rss version=\"0.91\"><channel><title>T</title></channel></rss>", "0.91")]
    [InlineData("<rss version=\" 2.01 \"><channel><title>T</title></channel></rss>", "2.01")]
    [InlineData("<rss version=\"2.1\"><channel><title>T</title></channel></rss>", "2.1")]
    [InlineData("<rss><channel><title>T</title></channel></rss>", "")]
    [InlineData("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\"><channel><title>T</title></channel></rdf:RDF>", "1.0")]
    [InlineData("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title></feed>", "1.0")]
    [InlineData("<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><title>T</title></feed>", "0.3")]
    [InlineData("{\"version\": \"https://jsonfeed.org/version/1\", \"items\": []}", "1.0")]
    [InlineData("{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}", "1.1")]
    public void Parse_Version_ReportedAsWritten(string document, string version)
    {
        Assert.Equal(version, Parse(document).Version);
    }

    [Theory]
    [InlineData("<link>http://a.example/1</link><link>http://b.example/2</link>", "http://b.example/2")]
    [InlineData("<link>http://a.example/1</link><link>/relative</link>", "http://a.example/1")]
    [InlineData("<link>/relative</link><link href=\"https://c.example/3\" />", "https://c.example/3")]
    [InlineData("<link>ftp://files.example/x</link><link>https://a.example/1</link><link>mailto:x@example.com</link>", "https://a.example/1")]
    [InlineData("<link>http://a.example/page</link><link rel=\"self\" href=\"http://a.example/feed.xml\" />", "http://a.example/page")]
    public void Parse_SeveralRssLinks_LastAbsoluteWebLinkWins(string links, string expected)
    {
        // No base address, so a relative link stays relative and shows the preference for absolute ones.
        var item = Assert.Single(Parse($"<rss version=\"2.0\"><channel><item><title>T</title>{links}</item></channel></rss>", baseUri: null).Items);

        Assert.Equal(expected, item.Link);
    }

    [Fact]
    public void Parse_AtomCategoryLabel_ShownWithTermAsKeyAndSchemeKept()
    {
        var item = Assert.Single(Parse("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>T</title>"
            + "<category term=\"tech\" label=\"Technology\" scheme=\"http://example.com/tags\" /><category term=\"nolabel\" /></entry></feed>").Items);

        Assert.Equal(
            [new FeedCategory("tech", "Technology", "http://example.com/tags"), new FeedCategory("nolabel")],
            item.Categories);
        Assert.Equal(["Technology", "nolabel"], item.Categories.Select(c => c.Name));
    }

    [Fact]
    public void Parse_CategoriesFromEveryVocabulary_MergedWithoutDuplicates()
    {
        var item = Assert.Single(Parse("<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:atom=\"http://www.w3.org/2005/Atom\""
            + " xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"><channel><item><title>T</title>"
            + "<category domain=\"http://example.com/sections\">Politics</category><dc:subject>Politics</dc:subject><dc:subject>Economy</dc:subject>"
            + "<atom:category term=\"Economy\" /><atom:category term=\"eu\" label=\"Europe\" /><media:category>World</media:category>"
            + "<itunes:category text=\"News\"><itunes:category text=\"Daily News\" /></itunes:category></item></channel></rss>").Items);

        Assert.Equal(["Politics", "Economy", "eu", "World", "News", "Daily News"], item.Categories.Select(c => c.Term));
        Assert.Equal("http://example.com/sections", item.Categories[0].Scheme);
        Assert.Equal("Europe", item.Categories[2].Name);
    }

    [Theory]
    [InlineData("text/plain", "1 &lt; 2 &amp;&amp; <b>bold</b>")]
    [InlineData("markdown", "1 &lt; 2 &amp;&amp; <b>bold</b>")]
    public void Parse_AtomTitleOfAnotherType_ReadAsText(string type, string expectedStart)
    {
        var feed = Parse($"<feed xmlns=\"http://www.w3.org/2005/Atom\"><title type=\"{type}\">1 &amp;lt; 2 &amp;amp;&amp;amp; &lt;b&gt;bold&lt;/b&gt;</title>"
            + $"<entry><title type=\"{type}\">&lt;p&gt;Entry&lt;/p&gt;</title><summary type=\"{type}\">&lt;i&gt;kept&lt;/i&gt;</summary></entry></feed>");

        Assert.Equal(expectedStart, feed.Title);
        Assert.Equal("<p>Entry</p>", feed.Items[0].Title);
        Assert.Equal("<i>kept</i>", feed.Items[0].Summary);
    }

    [Fact]
    public void Parse_FractionalSeconds_KeptExactly()
    {
        var atom = Assert.Single(Parse("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>T</title><updated>2019-07-31T13:07:31.364Z</updated></entry></feed>").Items);
        var json = Assert.Single(Parse("{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [{\"id\": \"1\", \"date_published\": \"2019-10-12T07:20:50.52Z\"}]}").Items);

        Assert.Equal(new DateTimeOffset(2019, 7, 31, 13, 7, 31, 364, TimeSpan.Zero), atom.Updated);
        Assert.Equal(new DateTimeOffset(2019, 10, 12, 7, 20, 50, 520, TimeSpan.Zero), json.Published);
        Assert.Equal("2019-10-12T07:20:50.52Z", FeedJson.Date(json.Published));
    }

    [Theory]
    [InlineData("itunes:summary")]
    [InlineData("dc:description")]
    [InlineData("media:description")]
    public void Parse_ChannelWithoutDescription_ReadsNamespacedOne(string element)
    {
        var feed = Parse("<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:media=\"http://search.yahoo.com/mrss/\""
            + $" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"><channel><title>T</title><{element}>About &amp; more</{element}></channel></rss>");

        Assert.Equal("About & more", feed.Description);
    }

    private static ParsedFeed Parse(string document) => Parse(document, new Uri("https://feed.example/rss.xml"));

    private static ParsedFeed Parse(string document, Uri? baseUri)
    {
        var result = new FeedParser().Parse(Encoding.UTF8.GetBytes(document), null, baseUri);
        Assert.Null(result.Error);
        return result.Feed!;
    }
}
