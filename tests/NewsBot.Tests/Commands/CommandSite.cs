using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NewsBot.Tests.Feeds.Fetching;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Commands;

/// <summary>A loopback web site for /source add and /import: a feed, a page whose advertised feed is dead, an OPML file.</summary>
internal static class CommandSite
{
    public const string IndexPage = """
        <!DOCTYPE html><html lang="en"><head><title>Riverside Daily</title>
        <link rel="alternate" type="application/rss+xml" href="/dead.xml"></head><body><main>
        <article><h2><a href="/news/2026/11/24/council-approves-protected-bike-lanes">Council approves protected bike lanes on Main Street</a></h2></article>
        <article><h2><a href="/news/2026/11/25/heavy-rain-floods-the-riverside-underpasses">Heavy rain floods the Riverside underpasses again</a></h2></article>
        </main></body></html>
        """;

    public static Task<LoopbackServer> StartAsync() => LoopbackServer.StartAsync(app =>
    {
        var feed = File.ReadAllText(Path.Combine(RepositoryPaths.Samples, "feed.xml"));
        app.MapGet("/feed.xml", () => Results.Content(feed, "application/rss+xml"));
        app.MapGet("/page", () => Results.Content(IndexPage, "text/html"));
        app.MapGet("/dead.xml", () => Results.NotFound());
        app.MapGet("/not-a-feed.html", () => Results.Content("<html><body><p>Hello</p></body></html>", "text/html"));
        app.MapGet("/feeds.opml", (HttpContext context) => Results.Content($"""
            <?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
            <outline text="Gazette" type="rss" xmlUrl="http://{context.Request.Host}/feed.xml"/>
            <outline text="Not a feed" type="rss" xmlUrl="http://{context.Request.Host}/not-a-feed.html"/>
            <outline text="Gone" type="rss" xmlUrl="http://{context.Request.Host}/dead.xml"/>
            </body></opml>
            """, "text/x-opml"));
    });
}
