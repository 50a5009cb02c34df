using System.Text;
using NewsBot.Feeds.Parsing;
using NewsBot.Feeds.Processing;

namespace NewsBot.Tests.Feeds.Processing;

/// <summary>Identity keys must survive the churn real feeds show between polls.</summary>
public sealed class FeedItemProcessorTests
{
    private static readonly Uri FeedUri = new("https://news.example/feed.xml");

    private static IReadOnlyList<ProcessedItem> Process(string itemsXml) =>
        new FeedItemProcessor().Process(
            new FeedParser().Parse(Encoding.UTF8.GetBytes($"<rss version=\"2.0\"><channel><title>t</title>{itemsXml}</channel></rss>"), null, FeedUri).Feed!,
            FeedUri);

    private static bool SameArticle(ProcessedItem stored, ProcessedItem seen) => stored.Keys.Intersect(seen.Keys).Any();

    [Fact]
    public void Process_ReorderedItems_KeepTheirKeys()
    {
        const string a = "<item><title>A</title><link>/a</link><guid>ga</guid></item>";
        const string b = "<item><title>B</title><link>/b</link><guid>gb</guid></item>";

        var first = Process(a + b);
        var second = Process(b + a);

        Assert.Equal(first[0].Keys, second[1].Keys);
        Assert.Equal(first[1].Keys, second[0].Keys);
    }

    [Fact]
    public void Process_RewrittenPubDate_IsSameArticle()
    {
        var before = Process("<item><title>A</title><link>/a</link><pubDate>Tue, 28 Apr 2026 01:12:00 GMT</pubDate></item>")[0];
        var after = Process("<item><title>A (updated)</title><link>/a</link><pubDate>Tue, 28 Apr 2026 09:00:00 GMT</pubDate></item>")[0];

        Assert.True(SameArticle(before, after));
    }

    [Theory]
    [InlineData("http://news.example/story/1")]
    [InlineData("https://www.news.example/story/1/")]
    [InlineData("https://news.example/story/1?utm_source=rss&amp;utm_medium=feed")]
    [InlineData("https://news.example/story/1?fbclid=abc&amp;gclid=def")]
    [InlineData("https://news.example/story/1#xtor=RSS-3208")]
    [InlineData("https://news.example:443/story/1")]
    [InlineData("/story/1")]
    public void Process_LinkVariants_ShareTheUrlKey(string link)
    {
        var item = Process($"<item><title>S</title><link>{link}</link></item>")[0];

        Assert.Contains("url:news.example/story/1", item.Keys);
    }

    [Fact]
    public void Process_GuidChangeWithSameLink_IsSameArticle()
    {
        var before = Process("<item><title>A</title><link>/a</link><guid>old-guid</guid></item>")[0];
        var after = Process("<item><title>A</title><link>/a</link><guid>new-guid</guid></item>")[0];

        Assert.Equal("guid:old-guid", before.Keys[0]);
        Assert.True(SameArticle(before, after));
    }

    [Fact]
    public void Process_LinkChangeWithSameGuid_IsSameArticle()
    {
        var before = Process("<item><title>A</title><link>/a</link><guid>g</guid></item>")[0];
        var after = Process("<item><title>A</title><link>/a-renamed</link><guid>g</guid></item>")[0];

        Assert.True(SameArticle(before, after));
    }

    [Fact]
    public void Process_GuidRepeatedInFeed_DoesNotJoinDifferentArticles()
    {
        var items = Process("""
            <item><title>A</title><link>/a</link><guid>https://news.example/</guid></item>
            <item><title>B</title><link>/b</link><guid>https://news.example/</guid></item>
            """);

        Assert.False(SameArticle(items[0], items[1]));
        Assert.DoesNotContain(items.SelectMany(i => i.Keys), k => k.StartsWith("guid:", StringComparison.Ordinal));
    }

    [Fact]
    public void Process_NoGuidNoLink_KeysOnTitleAndDay()
    {
        var morning = Process("<item><title>Tide  Table</title><pubDate>Tue, 28 Apr 2026 06:00:00 GMT</pubDate></item>")[0];
        var evening = Process("<item><title>tide table</title><pubDate>Tue, 28 Apr 2026 18:00:00 GMT</pubDate></item>")[0];
        var nextDay = Process("<item><title>Tide table</title><pubDate>Wed, 29 Apr 2026 06:00:00 GMT</pubDate></item>")[0];

        Assert.Single(morning.Keys);
        Assert.True(SameArticle(morning, evening));
        Assert.False(SameArticle(morning, nextDay));
    }

    [Fact]
    public void Process_Item_HasPlainTextAndCanonicalUrl()
    {
        var item = Process("""
            <item><title>&lt;b&gt;Big&lt;/b&gt; news</title><link>/n?utm_campaign=x&amp;id=7</link>
            <description>&lt;p&gt;Hello &lt;script&gt;alert(1)&lt;/script&gt;world&lt;/p&gt;</description></item>
            """)[0];

        Assert.Equal("Big news", item.Title);
        Assert.Equal("Hello world", item.Teaser);
        Assert.Equal("https://news.example/n?id=7", item.Url);
        Assert.Null(item.PublishedAt);
    }
}
