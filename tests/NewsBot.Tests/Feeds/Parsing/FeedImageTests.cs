using System.Text;
using NewsBot.Cli;
using NewsBot.Feeds.Parsing;

namespace NewsBot.Tests.Feeds.Parsing;

/// <summary>An item's picture from the feed: Media RSS, enclosures, iTunes, JSON Feed, or the first sizeable img of its HTML.</summary>
public sealed class FeedImageTests
{
    private const string Namespaces = "xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\""
        + " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"";

    [Theory]
    [InlineData("<media:thumbnail url=\"https://img.example/t.jpg\" width=\"640\" height=\"360\" />", "https://img.example/t.jpg")]
    [InlineData("<media:content url=\"https://img.example/v.mp4\" type=\"video/mp4\" /><media:content url=\"/photos/c.jpg\" medium=\"image\" />", "https://news.example/photos/c.jpg")]
    [InlineData("<enclosure url=\"https://img.example/e.png\" type=\"image/png\" length=\"100\" />", "https://img.example/e.png")]
    [InlineData("<itunes:image href=\"https://img.example/cover.jpg\" />", "https://img.example/cover.jpg")]
    [InlineData("<description>&lt;p&gt;Text&lt;img src=\"https://img.example/d.jpg\"&gt;&lt;/p&gt;</description>", "https://img.example/d.jpg")]
    public void Parse_ItemPicture_FromEachSource(string itemXml, string expected)
    {
        Assert.Equal(expected, ParseItem(itemXml).ImageUrl);
    }

    [Fact]
    public void Parse_PixelsAndIcons_SkippedForTheFirstRealPicture()
    {
        var item = ParseItem("<media:thumbnail url=\"https://img.example/tiny.jpg\" width=\"1\" height=\"1\" />"
            + "<content:encoded><![CDATA[<p>Story</p><img src=\"https://feeds.feedburner.com/~r/news/~4/abc\" height=\"1\" width=\"1\"/>"
            + "<img src=\"data:image/gif;base64,R0lGOD\" data-src=\"https://img.example/lazy.jpg\" width=\"800\">"
            + "<img src=\"https://img.example/later.jpg\">]]></content:encoded>");

        Assert.Equal("https://img.example/lazy.jpg", item.ImageUrl);
    }

    [Theory]
    [InlineData("<img src=\"https://news.example/favicon.ico\"><img src=\"https://s.w.org/images/core/emoji/14.0.0/72x72/1f600.png\">")]
    [InlineData("<img src=\"https://news.example/img/logo.svg\"><img src=\"https://news.example/pixel.gif\"><img src=\"https://img.example/s.jpg\" width=\"16\" height=\"16\">")]
    [InlineData("<img src=\"javascript:alert(1)\"><img src=\"ftp://files.example/a.jpg\"><img src=\"/assets/icon-speaker.gif\">")]
    public void Parse_OnlyPixelsIconsOrNonWebImages_NoPicture(string html)
    {
        Assert.Null(ParseItem($"<description><![CDATA[<p>Story</p>{html}]]></description>").ImageUrl);
    }

    [Fact]
    public void Parse_JsonFeedImage_BannerWhenNoImage()
    {
        var json = "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": ["
            + "{\"id\": \"1\", \"image\": \"https://img.example/1.jpg\", \"banner_image\": \"https://img.example/b1.jpg\"},"
            + "{\"id\": \"2\", \"banner_image\": \"/b2.jpg\"},"
            + "{\"id\": \"3\", \"content_html\": \"<p>x</p><img src='https://img.example/3.jpg'>\"}]}";
        var result = new FeedParser().Parse(Encoding.UTF8.GetBytes(json), null, new Uri("https://news.example/feed.json"));

        Assert.Equal(["https://img.example/1.jpg", "https://news.example/b2.jpg", "https://img.example/3.jpg"], result.Feed!.Items.Select(i => i.ImageUrl));
    }

    [Fact]
    public void ParseJson_Item_CarriesImage()
    {
        var feed = new FeedParser().Parse(Encoding.UTF8.GetBytes($"<rss version=\"2.0\" {Namespaces}><channel><item><title>T</title>"
            + "<media:thumbnail url=\"https://img.example/t.jpg\" /></item></channel></rss>"), null, null).Feed!;

        using var json = System.Text.Json.JsonDocument.Parse(FeedJson.ToJson(feed, null));

        Assert.Equal("https://img.example/t.jpg", json.RootElement.GetProperty("items")[0].GetProperty("image").GetString());
        Assert.Equal("2.0", json.RootElement.GetProperty("version").GetString());
    }

    private static ParsedItem ParseItem(string itemXml)
    {
        var document = $"<rss version=\"2.0\" {Namespaces}><channel><title>T</title><item><title>Story</title>{itemXml}</item></channel></rss>";
        var result = new FeedParser().Parse(Encoding.UTF8.GetBytes(document), null, new Uri("https://news.example/feed.xml"));
        Assert.Null(result.Error);
        return Assert.Single(result.Feed!.Items);
    }
}
