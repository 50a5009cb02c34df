using System.IO.Compression;
using System.Text;
using System.Text.Json;
using NewsBot.Feeds.Discovery;

namespace NewsBot.Tests.Feeds.Discovery;

public class FeedSnifferTests
{
    [Theory]
    [InlineData("<rss version=\"2.0\"><channel/></rss>")]
    [InlineData("<?xml version=\"1.0\"?>\n<!-- generator -->\n<?xml-stylesheet href=\"s.xsl\"?>\n<rss version=\"0.91\"/>")]
    [InlineData("  \n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title></feed>")]
    [InlineData("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\"/>")]
    [InlineData("<!DOCTYPE rss [<!ENTITY nbsp \"&#160;\">]><rss version=\"2.0\"/>")]
    [InlineData("{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"x\", \"items\": []}")]
    [InlineData("{\"title\": \"x\", \"items\": [], \"version\": \"https://jsonfeed.org/version/1\"}")]
    public void LooksLikeFeed_FeedDocument_IsTrue(string document) =>
        Assert.True(FeedSniffer.LooksLikeFeed(Encoding.UTF8.GetBytes(document)));

    [Theory]
    [InlineData("<!DOCTYPE html><html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed\"></head></html>")]
    [InlineData("<html><body><rss>not really</rss></body></html>")]
    [InlineData("<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"/>")]
    [InlineData("{\"version\": \"2.0\", \"items\": []}")]
    [InlineData("{\"version\": \"https://jsonfeed.org/version/1.1\"")]
    [InlineData("plain text")]
    [InlineData("")]
    [InlineData("<!-- never closed")]
    public void LooksLikeFeed_OtherDocument_IsFalse(string document) =>
        Assert.False(FeedSniffer.LooksLikeFeed(Encoding.UTF8.GetBytes(document)));

    [Theory]
    [InlineData("utf-16", true)]
    [InlineData("utf-16BE", true)]
    [InlineData("utf-16", false)]
    [InlineData("utf-8", true)]
    public void LooksLikeFeed_UnicodeEncodings_AreRead(string encodingName, bool byteOrderMark)
    {
        var encoding = Encoding.GetEncoding(encodingName);
        var text = $"<?xml version=\"1.0\" encoding=\"{encodingName}\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"/>";
        byte[] bytes = byteOrderMark ? [.. encoding.GetPreamble(), .. encoding.GetBytes(text)] : encoding.GetBytes(text);

        Assert.True(FeedSniffer.LooksLikeFeed(bytes));
    }

    [Fact]
    public void LooksLikeFeed_RealFeedsAndPages_AreToldApart()
    {
        var feeds = TestCorpus.Require("feeds", "real");
        var articles = TestCorpus.Require("articles");
        var wrong = new List<string>();
        var checkedFiles = 0;

        foreach (var line in File.ReadLines(Path.Combine(feeds, "manifest.jsonl")))
        {
            using var record = JsonDocument.Parse(line);
            var format = record.RootElement.GetProperty("format").GetString()!;
            var file = record.RootElement.GetProperty("file").GetString()!;
            var isFeed = !format.StartsWith("html", StringComparison.Ordinal);
            checkedFiles++;
            if (FeedSniffer.LooksLikeFeed(File.ReadAllBytes(Path.Combine(feeds, file))) != isFeed)
            {
                wrong.Add(file);
            }
        }

        foreach (var line in File.ReadLines(Path.Combine(articles, "manifest.jsonl")))
        {
            using var record = JsonDocument.Parse(line);
            var file = record.RootElement.GetProperty("html").GetString()!;
            using var gzip = new GZipStream(File.OpenRead(Path.Combine(articles, file)), CompressionMode.Decompress);
            using var page = new MemoryStream();
            gzip.CopyTo(page);
            checkedFiles++;
            if (FeedSniffer.LooksLikeFeed(page.ToArray()))
            {
                wrong.Add(file);
            }
        }

        Assert.True(checkedFiles > 400, $"expected the whole corpus, read {checkedFiles} files");
        Assert.Empty(wrong);
    }
}
