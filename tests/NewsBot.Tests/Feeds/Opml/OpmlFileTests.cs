using System.Text;
using System.Xml.Linq;
using NewsBot.Feeds.Opml;

namespace NewsBot.Tests.Feeds.Opml;

public class OpmlFileTests
{
    [Fact]
    public void WriteThenRead_NestedCategories_RoundTrips()
    {
        OpmlFeed[] feeds =
        [
            new("https://a.example/feed", "A & Co <news>", null),
            new("https://b.example/rss.xml", "B", "News"),
            new("https://c.example/atom.xml", null, "News/Tech"),
            new("https://d.example/feed.json", "D", "News"),
            new("https://e.example/index.xml", "É", "Blogs"),
        ];
        using var stream = new MemoryStream();

        OpmlFile.Write(feeds, stream);
        stream.Position = 0;
        var read = OpmlFile.Read(stream);

        Assert.Null(read.Error);
        Assert.Equal(
            feeds.OrderBy(feed => feed.Url, StringComparer.Ordinal),
            read.Feeds.OrderBy(feed => feed.Url, StringComparer.Ordinal));
    }

    [Fact]
    public void Write_Always_ProducesOpml20WithFolders()
    {
        using var stream = new MemoryStream();

        OpmlFile.Write([new OpmlFeed("https://b.example/rss.xml", "B", "News/Tech")], stream, "Mine");

        var document = XDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal("2.0", document.Root!.Attribute("version")!.Value);
        Assert.Equal("Mine", document.Root.Element("head")!.Element("title")!.Value);
        var folder = Assert.Single(document.Root.Element("body")!.Elements("outline"));
        Assert.Equal("News", folder.Attribute("text")!.Value);
        var inner = Assert.Single(folder.Elements("outline"));
        Assert.Equal("Tech", inner.Attribute("text")!.Value);
        var feed = Assert.Single(inner.Elements("outline"));
        Assert.Equal("rss", feed.Attribute("type")!.Value);
        Assert.Equal("https://b.example/rss.xml", feed.Attribute("xmlUrl")!.Value);
    }

    [Fact]
    public void Read_ExportFromOtherReaders_IsReadLeniently()
    {
        const string Opml = """
            <?xml version="1.0" encoding="ISO-8859-1"?>
            <!DOCTYPE opml [<!ENTITY boom "boom">]>
            <opml version="1.0">
              <head><title>Export</title></head>
              <body>
                <outline text="Tech" title="Tech">
                  <outline type="rss" text="Caf&#233;" xmlurl="https://cafe.example/feed" htmlUrl="https://cafe.example/"/>
                  <outline type="rss" text="Podcast" xmlUrl="https://pod.example/rss">
                    <outline text="episode notes" xmlUrl="https://pod.example/notes.xml"/>
                  </outline>
                  <outline text="Empty folder"></outline>
                </outline>
                <outline type="rss" text="Top" xmlUrl=" https://top.example/atom.xml " category="/Saved/Later,/Other"/>
                <outline type="rss" text="Duplicate" xmlUrl="https://cafe.example/feed"/>
                <outline type="link" text="Not a feed" url="https://example.org/"/>
              </body>
            </opml>
            """;

        var read = OpmlFile.Read(new MemoryStream(Encoding.Latin1.GetBytes(Opml)));

        Assert.Null(read.Error);
        Assert.Equal(
            [
                new OpmlFeed("https://cafe.example/feed", "Café", "Tech"),
                new OpmlFeed("https://pod.example/rss", "Podcast", "Tech"),
                new OpmlFeed("https://pod.example/notes.xml", "episode notes", "Tech"),
                new OpmlFeed("https://top.example/atom.xml", "Top", "Saved/Later"),
            ],
            read.Feeds);
    }

    [Fact]
    public void Read_BrokenXml_KeepsFeedsBeforeTheBreakAndSaysWhy()
    {
        const string Opml = """<opml><body><outline text="A" xmlUrl="https://a.example/feed"/><outline text="B" """;

        var read = OpmlFile.Read(new MemoryStream(Encoding.UTF8.GetBytes(Opml)));

        Assert.Equal([new OpmlFeed("https://a.example/feed", "A", null)], read.Feeds);
        Assert.StartsWith("opml.parse_failed: ", read.Error, StringComparison.Ordinal);
    }
}
