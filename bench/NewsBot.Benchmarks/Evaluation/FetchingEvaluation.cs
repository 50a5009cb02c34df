using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.Feeds;
using NewsBot.Feeds.Discovery;
using NewsBot.Feeds.Fetching;

namespace NewsBot.Benchmarks.Evaluation;

/// <summary>
/// <c>eval fetching</c>: feed sniffing over every feed snapshot and article page of the corpus, discovery over
/// the article pages served from loopback, and what a gzip bomb and a conditional GET cost the fetcher.
/// Nothing leaves the machine: every name resolves to the loopback server, other ports refuse.
/// </summary>
public static class FetchingEvaluation
{
    private const int SniffRounds = 5;

    private const int ConditionalGets = 200;

    private const int BombBytes = 256 * 1024 * 1024;

    public static string Run(string corpus, IReadOnlyList<string> args) => RunAsync(corpus).GetAwaiter().GetResult();

    private static async Task<string> RunAsync(string corpus)
    {
        var feeds = FeedSnapshots(corpus);
        var pages = ArticlePages(corpus);
        var sniffing = Sniff(feeds, pages);

        var bomb = Gzip(new byte[BombBytes]);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapGet("/page/{index:int}", (int index) => Results.Bytes(pages[index], "text/html"));
        app.MapGet("/bomb", async context =>
        {
            context.Response.Headers.ContentEncoding = "gzip";
            await context.Response.Body.WriteAsync(bomb);
        });
        app.MapGet("/feed", context =>
        {
            context.Response.Headers.ETag = "\"v1\"";
            context.Response.StatusCode = context.Request.Headers.IfNoneMatch == "\"v1\"" ? 304 : 200;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        var origin = $"http://127.0.0.1:{port}";

        var services = new ServiceCollection();
        services.AddOptions<FeedsOptions>().Configure(options => options.AllowPrivateAddresses = true);
        services.AddSingleton<FeedNetwork>(new LoopbackNetwork(port));
        services.AddFeedFetching();
        await using var provider = services.BuildServiceProvider();
        var fetcher = provider.GetRequiredService<FeedFetcher>();
        var discoverer = provider.GetRequiredService<FeedDiscoverer>();
        var maxBytes = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<FeedsOptions>>().Value.MaxBytes;

        // Warm the connection pool and the JIT so the figures below are the steady state.
        await fetcher.FetchAsync(new FetchRequest($"{origin}/feed"), CancellationToken.None);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var bombResult = await fetcher.FetchAsync(new FetchRequest($"{origin}/bomb"), CancellationToken.None);
        var bombMs = clock.Elapsed.TotalMilliseconds;
        var bombAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        clock.Restart();
        var notModified = 0;
        for (var i = 0; i < ConditionalGets; i++)
        {
            var result = await fetcher.FetchAsync(new FetchRequest($"{origin}/feed", "\"v1\""), CancellationToken.None);
            notModified += result.Status == FetchStatus.NotModified ? 1 : 0;
        }

        var conditionalMs = clock.Elapsed.TotalMilliseconds / ConditionalGets;

        clock.Restart();
        var pagesWithFeeds = 0;
        var feedsFound = 0;
        var advertisedElsewhere = 0;
        for (var i = 0; i < pages.Count; i++)
        {
            var found = await discoverer.DiscoverAsync($"{origin}/page/{i}", CancellationToken.None);
            pagesWithFeeds += found.Feeds.Count > 0 ? 1 : 0;
            feedsFound += found.Feeds.Count;
            advertisedElsewhere += found.Feeds.Count(feed => feed.Url.Port != port);
        }

        var discoveryMs = clock.Elapsed.TotalMilliseconds;
        await app.StopAsync();

        return JsonSerializer.Serialize(new
        {
            sniffing,
            gzip_bomb = new
            {
                decompressed_bytes = BombBytes,
                wire_bytes = bomb.Length,
                max_bytes = maxBytes,
                result = bombResult.Error,
                elapsed_ms = Math.Round(bombMs, 1),
                allocated_bytes = bombAllocated,
            },
            conditional_get = new { requests = ConditionalGets, not_modified = notModified, ms_per_request = Math.Round(conditionalMs, 3) },
            discovery = new
            {
                pages = pages.Count,
                pages_with_feeds = pagesWithFeeds,
                feeds_found = feedsFound,
                feeds_on_other_hosts = advertisedElsewhere,
                elapsed_ms = Math.Round(discoveryMs),
            },
        }, new JsonSerializerOptions { WriteIndented = true });
    }

    private static object Sniff(List<(string File, bool IsFeed, byte[] Content)> feeds, List<byte[]> pages)
    {
        var documents = feeds.Select(feed => (feed.Content, feed.IsFeed)).Concat(pages.Select(page => (Content: page, IsFeed: false))).ToList();
        var wrong = feeds.Where(feed => FeedSniffer.LooksLikeFeed(feed.Content) != feed.IsFeed).Select(feed => feed.File).ToList();
        var pagesTakenForFeeds = pages.Count(page => FeedSniffer.LooksLikeFeed(page));
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < SniffRounds; round++)
        {
            foreach (var (content, _) in documents)
            {
                FeedSniffer.LooksLikeFeed(content);
            }
        }

        return new
        {
            feed_snapshots = feeds.Count(feed => feed.IsFeed),
            html_snapshots = feeds.Count(feed => !feed.IsFeed),
            article_pages = pages.Count,
            misclassified = wrong.Count + pagesTakenForFeeds,
            misclassified_files = wrong,
            microseconds_per_document = Math.Round(clock.Elapsed.TotalMicroseconds / (SniffRounds * documents.Count), 2),
        };
    }

    private static List<(string File, bool IsFeed, byte[] Content)> FeedSnapshots(string corpus)
    {
        var folder = Path.Combine(corpus, "feeds", "real");
        return File.ReadLines(Path.Combine(folder, "manifest.jsonl")).Select(line =>
        {
            using var record = JsonDocument.Parse(line);
            var file = record.RootElement.GetProperty("file").GetString()!;
            var format = record.RootElement.GetProperty("format").GetString()!;
            return (file, !format.StartsWith("html", StringComparison.Ordinal), File.ReadAllBytes(Path.Combine(folder, file)));
        }).ToList();
    }

    private static List<byte[]> ArticlePages(string corpus)
    {
        var folder = Path.Combine(corpus, "articles");
        return File.ReadLines(Path.Combine(folder, "manifest.jsonl")).Select(line =>
        {
            using var record = JsonDocument.Parse(line);
            using var gzip = new GZipStream(File.OpenRead(Path.Combine(folder, record.RootElement.GetProperty("html").GetString()!)), CompressionMode.Decompress);
            using var page = new MemoryStream();
            gzip.CopyTo(page);
            return page.ToArray();
        }).ToList();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Every name is the loopback server; links to other sites fail fast instead of reaching the internet.</summary>
    private sealed class LoopbackNetwork(int port) : FeedNetwork
    {
        public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult(new[] { IPAddress.Loopback });

        public override ValueTask<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken) =>
            endpoint.Port == port
                ? base.ConnectAsync(endpoint, cancellationToken)
                : ValueTask.FromException<Stream>(new SocketException((int)SocketError.ConnectionRefused));
    }
}
