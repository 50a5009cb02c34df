using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Platforms.Console;
using NewsBot.Feeds.Pages;
using NewsBot.Feeds.Parsing;
using NewsBot.Storage;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Feeds.Pages;

public sealed class IndexPageParserTests
{
    private static readonly string IndexPath = Path.Combine(RepositoryPaths.Samples, "index.html");

    [Fact]
    public void Parse_SampleIndex_FindsTheFiveArticlesOnly()
    {
        var result = new IndexPageParser().Parse(File.ReadAllBytes(IndexPath), "text/html; charset=utf-8", new Uri(IndexPath), null);

        var feed = Assert.IsType<ParsedFeed>(result.Feed);
        Assert.Equal(FeedFormat.HtmlPage, feed.Format);
        Assert.Equal(
            ["bike-lanes-reaction.html", "riverside-bike-lanes.html", "riverside-floods.html", "solar-library.html", "battery-recycling.html"],
            feed.Items.Select(i => Path.GetFileName(new Uri(i.Link!).LocalPath)));
        // A "Full story" link takes the headline of the teaser it belongs to.
        Assert.Equal("Heavy rain floods Riverside underpasses; council orders drainage review", feed.Items[2].Title);
    }

    [Fact]
    public void Parse_Pattern_TakesOnlyMatchingLinks()
    {
        var result = new IndexPageParser().Parse(File.ReadAllBytes(IndexPath), null, new Uri(IndexPath), "bike-lanes");

        Assert.Equal(2, result.Feed!.Items.Count);
    }

    [Fact]
    public void Parse_PageWithoutArticles_FailsWithReason()
    {
        var html = Encoding.UTF8.GetBytes("<html><body><nav><a href='/a/b/c-d-e'>Some long navigation link</a></nav><a href='/about'>About us and our team</a></body></html>");

        var result = new IndexPageParser().Parse(html, null, new Uri("https://news.example/"), null);

        Assert.Null(result.Feed);
        Assert.StartsWith("page.no_articles", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageSource_FromConfiguration_PostsEachArticleReadFromItsPage()
    {
        using var folder = new TempFolder();
        var output = new CapturingWriter();
        var settings = new Dictionary<string, string?>
        {
            ["NewsBot:Feeds:Sources:0:Url"] = IndexPath,
            ["NewsBot:Feeds:Sources:0:Name"] = "Gazette front page",
            ["NewsBot:Feeds:Sources:0:Kind"] = "page",
        };
        using var host = TestHosts.Build(folder, settings, new ConsoleIO(new LineFeeder(), output));
        await host.StartAsync(TestContext.Current.CancellationToken);
        await output.WaitForAsync(text => text.Split("─────────────").Length > 5, TimeSpan.FromSeconds(30));
        await host.StopAsync(TestContext.Current.CancellationToken);

        var articles = await host.Services.GetRequiredService<IArticleStore>().LatestAsync(new ArticleQuery(10), TestContext.Current.CancellationToken);
        Assert.Equal(5, articles.Count);
        // The text comes from each article page (the index only had headlines).
        Assert.All(articles, a => Assert.True(a.Text?.Length > 500, a.Title));
    }

    [Fact]
    public async Task PageSource_BadPattern_StopsStartNamingTheSetting()
    {
        using var folder = new TempFolder();
        using var host = TestHosts.Build(folder, new Dictionary<string, string?>
        {
            ["NewsBot:Feeds:Sources:0:Url"] = IndexPath,
            ["NewsBot:Feeds:Sources:0:Kind"] = "page",
            ["NewsBot:Feeds:Sources:0:LinkPattern"] = "(unclosed",
        });

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("NewsBot:Feeds:Sources:0:LinkPattern", error.Message, StringComparison.Ordinal);
    }
}
