using System.Text.Json;
using NewsBot.Cli;
using NewsBot.Model;
using NewsBot.Reading;

namespace NewsBot.Tests.Cli;

public sealed class ExtractedArticleJsonTests
{
    [Fact]
    public void ToJson_FullArticle_WritesCliContract()
    {
        var article = new ExtractedArticle
        {
            Title = "Tram depot plans unveiled",
            Byline = "Ana Ribeiro",
            Published = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1)),
            Language = "en",
            ImageUrl = "https://city.example/images/depot.png",
            Paragraphs = ["First paragraph.", "Second – with «quotes»."],
            Related = [new RelatedLink("Tram extension approved", "https://city.example/tram-extension.html")],
            TopicCandidates = ["Trams"],
        };

        var json = ExtractedArticleJson.ToJson(article, "https://city.example/tram-depot.html", "page.html");

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(["file", "url", "title", "byline", "published", "language", "image", "text", "related", "topics"], root.EnumerateObject().Select(property => property.Name));
        Assert.Equal("2026-03-02T08:00:00Z", root.GetProperty("published").GetString());
        Assert.Equal("First paragraph.\n\nSecond – with «quotes».", root.GetProperty("text").GetString());
        Assert.Equal("https://city.example/tram-extension.html", root.GetProperty("related")[0].GetProperty("url").GetString());
        Assert.Equal("Trams", root.GetProperty("topics")[0].GetString());
        Assert.Contains("«quotes»", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_NoFileAndNoMetadata_OmitsFileAndWritesNulls()
    {
        using var document = JsonDocument.Parse(ExtractedArticleJson.ToJson(new ExtractedArticle(), "https://x.example/", null));

        Assert.False(document.RootElement.TryGetProperty("file", out _));
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("published").ValueKind);
        Assert.Equal(0, document.RootElement.GetProperty("related").GetArrayLength());
    }
}
