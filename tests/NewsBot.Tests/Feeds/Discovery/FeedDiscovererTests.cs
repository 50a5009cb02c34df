using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Feeds.Discovery;
using NewsBot.Tests.Feeds.Fetching;

namespace NewsBot.Tests.Feeds.Discovery;

public class FeedDiscovererTests
{
    private const string Rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title></channel></rss>";

    private const string Atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title></feed>";

    private const string JsonFeed = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"t\",\"items\":[]}";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Rss, "application/rss+xml")]
    [InlineData(Atom, "text/html")]
    [InlineData(JsonFeed, "application/json")]
    public async Task DiscoverAsync_UrlIsAFeed_ReturnsItWhateverItsContentType(string body, string contentType)
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/x", () => Results.Text(body, contentType)));

        var result = await DiscoverAsync(server, "/x");

        Assert.Null(result.Error);
        Assert.Equal(new Uri(server.Url("/x")), Assert.Single(result.Feeds).Url);
    }

    [Fact]
    public async Task DiscoverAsync_PageAdvertisesFeeds_ReturnsThemInOrderWithTitles()
    {
        const string Page = """
            <!DOCTYPE html><html><head>
            <base href="/blog/">
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/1">
            <link rel="alternate" type="application/rss+xml" title="Blog &raquo; Feed" href="feed/">
            <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="https://other.example/atom.xml">
            <link rel="alternate" type="application/feed+json" title="JSON" href="feed.json">
            <link rel="alternate" type="application/rss+xml" href="/blog/feed/">
            </head><body><a href="/rss.xml">RSS</a></body></html>
            """;
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/blog/post", () => Results.Content(Page, "text/html")));

        var result = await DiscoverAsync(server, "/blog/post");

        Assert.Null(result.Error);
        Assert.Equal(
            [(server.Url("/blog/feed/"), "Blog » Feed"), ("https://other.example/atom.xml", null), (server.Url("/blog/feed.json"), "JSON")],
            result.Feeds.Select(feed => (feed.Url.AbsoluteUri, feed.Title)));
    }

    [Fact]
    public async Task DiscoverAsync_CharsetOnlyInContentType_DecodesTitles()
    {
        const string Page = """<html><head><link rel="alternate" type="application/rss+xml" title="Le Café" href="/feed"></head></html>""";
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapGet("/", () => Results.Bytes(System.Text.Encoding.Latin1.GetBytes(Page), "text/html; charset=ISO-8859-1")));

        var result = await DiscoverAsync(server, "/");

        Assert.Equal("Le Café", Assert.Single(result.Feeds).Title);
    }

    [Fact]
    public async Task DiscoverAsync_FeedLikeAnchors_ReturnsOnlyThoseThatAreFeeds()
    {
        const string Page = """
            <html><body>
            <a href="/feedback">Tell us</a>
            <a href="/news/rss.xml">News (RSS)</a>
            <a href="/broken.rss">Broken</a>
            <a href="/podcast.atom"> Podcast </a>
            </body></html>
            """;
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/", () => Results.Content(Page, "text/html"));
            app.MapGet("/news/rss.xml", () => Results.Text(Rss, "application/rss+xml"));
            app.MapGet("/broken.rss", () => Results.Content("<html>moved</html>", "text/html"));
            app.MapGet("/podcast.atom", () => Results.Text(Atom, "application/atom+xml"));
        });

        var result = await DiscoverAsync(server, "/");

        Assert.Equal(
            [(server.Url("/news/rss.xml"), "News (RSS)"), (server.Url("/podcast.atom"), "Podcast")],
            result.Feeds.Select(feed => (feed.Url.AbsoluteUri, feed.Title)));
    }

    [Fact]
    public async Task DiscoverAsync_NoLinks_FindsAFeedAtACommonPath()
    {
        var requested = new List<string>();
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                lock (requested)
                {
                    requested.Add(context.Request.Path);
                }

                await next(context);
            });
            app.MapGet("/blog/2026/post", () => Results.Content("<html><body>No links here.</body></html>", "text/html"));
            app.MapGet("/index.xml", () => Results.Text(Atom, "application/atom+xml"));
        });

        var result = await DiscoverAsync(server, "/blog/2026/post");

        Assert.Equal(server.Url("/index.xml"), Assert.Single(result.Feeds).Url.AbsoluteUri);
        Assert.Equal("/blog/2026/feed", requested[1]);
        Assert.Equal("/index.xml", requested[^1]);
    }

    [Fact]
    public async Task DiscoverAsync_NoFeedAnywhere_SaysSo()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
            app.MapGet("/", () => Results.Content("<html><body>Nothing.</body></html>", "text/html")));

        var result = await DiscoverAsync(server, "/");

        Assert.Empty(result.Feeds);
        Assert.Equal($"discovery.no_feeds: {server.Url("/")}", result.Error);
    }

    [Fact]
    public async Task DiscoverAsync_PageFails_PassesTheFetchReason()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/", () => Results.StatusCode(StatusCodes.Status410Gone)));

        var result = await DiscoverAsync(server, "/");

        Assert.Empty(result.Feeds);
        Assert.Equal("fetch.http_status: 410", result.Error);
    }

    [Fact]
    public async Task DiscoverAsync_UrlWithoutScheme_IsTriedAsHttps()
    {
        var network = new SimulatedNetwork(new Dictionary<string, System.Net.IPAddress[]>());
        await using var services = FetchingTestServices.Create(network: network);

        var result = await services.GetRequiredService<FeedDiscoverer>().DiscoverAsync("news.example/blog", Token);

        Assert.Equal("fetch.dns: news.example: HostNotFound", result.Error);
    }

    [Fact]
    public async Task DiscoverAsync_LocalPath_IsRefused()
    {
        await using var services = FetchingTestServices.Create();

        var result = await services.GetRequiredService<FeedDiscoverer>().DiscoverAsync("/etc/passwd", Token);

        Assert.Empty(result.Feeds);
        Assert.StartsWith("fetch.file_not_allowed", result.Error, StringComparison.Ordinal);
    }

    private static async Task<DiscoveryResult> DiscoverAsync(LoopbackServer server, string path)
    {
        await using var services = FetchingTestServices.Create();
        return await services.GetRequiredService<FeedDiscoverer>().DiscoverAsync(server.Url(path), Token);
    }
}
