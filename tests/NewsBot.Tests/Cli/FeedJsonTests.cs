using System.Text.Json;
using NewsBot.Cli;
using NewsBot.Feeds.Parsing;

namespace NewsBot.Tests.Cli;

public sealed class FeedJsonTests
{
    private static readonly ParsedFeed Feed = new()
    {
        Format = FeedFormat.Atom10,
        Version = "1.0",
        Title = "Café \"news\"",
        Link = "https://x.example/",
        Items =
        [
            new ParsedItem
            {
                Id = "1",
                Title = "Zürich",
                Published = new DateTimeOffset(2026, 4, 28, 3, 12, 0, TimeSpan.FromHours(2)),
                Categories = [new FeedCategory("a"), new FeedCategory("b", Label: "Bee")],
                ImageUrl = "https://x.example/a.jpg",
                Enclosures = [new Enclosure("https://x.example/a.mp3", "audio/mpeg", null)],
            },
        ],
    };

    [Fact]
    public void ToJson_Feed_WritesTheCliShape()
    {
        using var json = JsonDocument.Parse(FeedJson.ToJson(Feed, "in.xml"));
        var root = json.RootElement;

        Assert.Equal(["file", "format", "version", "title", "link", "language", "items"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("1.0", root.GetProperty("version").GetString());
        Assert.Equal("atom10", root.GetProperty("format").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("language").ValueKind);
        var item = root.GetProperty("items")[0];
        Assert.Equal(
            ["id", "title", "link", "published", "updated", "author", "summary", "content", "image", "categories", "enclosures"],
            item.EnumerateObject().Select(p => p.Name));
        Assert.Equal("https://x.example/a.jpg", item.GetProperty("image").GetString());

        // Categories show their label when the feed gave one.
        Assert.Equal(["a", "Bee"], item.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("2026-04-28T01:12:00Z", item.GetProperty("published").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("updated").ValueKind);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("enclosures")[0].GetProperty("length").ValueKind);
    }

    [Fact]
    public void ToJson_NonAscii_IsWrittenAsIs()
    {
        var text = FeedJson.ToJson(Feed, null);

        Assert.Contains("Zürich", text, StringComparison.Ordinal);
        Assert.Contains("Café \\\"news\\\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"file\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorJson_Reason_HasFileAndError()
    {
        using var json = JsonDocument.Parse(FeedJson.ErrorJson("page.html", "feed.unknown_format: an HTML page, not a feed"));

        Assert.Equal("page.html", json.RootElement.GetProperty("file").GetString());
        Assert.StartsWith("feed.unknown_format", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
