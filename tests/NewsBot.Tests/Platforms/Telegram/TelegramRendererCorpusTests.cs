using System.Globalization;
using System.Text.Json;
using NewsBot.Fakes.Telegram;
using NewsBot.Model;
using NewsBot.Platforms.Telegram;

namespace NewsBot.Tests.Platforms.Telegram;

/// <summary>Real feed titles and links and real article bodies through the renderer and Telegram's HTML rules.</summary>
public class TelegramRendererCorpusTests
{
    [Fact]
    public void Render_RealFeedEntriesWithBbcBodies_EveryMessageValidAndWithinLimit()
    {
        var entries = ReadFeedEntries(TestCorpus.Require("feeds", "real", "reference-feedparser-6.0.10.jsonl"));
        var articles = ReadBbcArticles(TestCorpus.Require("summaries", "bbc"));
        Assert.NotEmpty(entries);
        Assert.NotEmpty(articles);

        // Every feed entry gets a body; every BBC article is also posted under its own headline.
        var posts = entries.Select((entry, i) => entry with { Summary = articles[i % articles.Count].Body })
            .Concat(articles.Select(article => new Post
            {
                ShortId = article.Id,
                Title = article.Title,
                Url = $"https://www.bbc.co.uk/news/{article.Id}?ref=\"rss\"&x=<1>",
                SourceName = "BBC News",
                Summary = article.Body,
                Topics = [article.Category, "BBC News"],
            }))
            .ToList();

        var messages = posts.Select(post => TelegramRenderer.RenderPost(post)).ToList();

        Assert.All(messages.SelectMany(m => m), html =>
        {
            var parsed = TelegramHtmlValidator.Parse(html);
            Assert.True(parsed.IsValid, parsed.Error);
            Assert.InRange(parsed.Text.Length, 1, TelegramRenderer.MaxMessageLength);
        });
        Assert.All(posts.Zip(messages), pair => Assert.Contains(
            pair.First.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "",
            TelegramHtmlValidator.Parse(pair.Second[0]).Text,
            StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Count > 1);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"posts={posts.Count} messages={messages.Sum(m => m.Count)} split={messages.Count(m => m.Count > 1)} maxParts={messages.Max(m => m.Count)}");
    }

    private static List<Post> ReadFeedEntries(string path) =>
    [
        .. File.ReadLines(path)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .SelectMany(feed => feed.GetProperty("firstEntries").EnumerateArray().Select((entry, i) => new Post
            {
                ShortId = $"f{i}",
                Title = Text(entry, "title") ?? "",
                Url = Text(entry, "link"),
                SourceName = Text(feed, "feedTitle") ?? "feed",
                PublishedAt = DateTimeOffset.TryParse(Text(entry, "published"), CultureInfo.InvariantCulture, out var published) ? published : null,
                Topics = [Text(feed, "feedLanguage") ?? "none"],
            })),
    ];

    private static List<BbcArticle> ReadBbcArticles(string folder) =>
    [
        .. Directory.EnumerateFiles(folder, "*.jsonl").Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(article => new BbcArticle(
                article.GetProperty("id").GetString()!,
                article.GetProperty("category").GetString()!,
                article.GetProperty("title").GetString()!,
                article.GetProperty("body").GetString()!)),
    ];

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record BbcArticle(string Id, string Category, string Title, string Body);
}
