using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Benchmarks.Evaluation;
using NewsBot.Fakes.Feeds;
using NewsBot.Feeds.Parsing;
using NewsBot.Storage;

namespace NewsBot.Benchmarks.Load;

/// <summary>One hostile source after its first poll: the error stored on it, or the titles it produced.</summary>
public sealed record HostileSourceResult(string Path, string? LastError, IReadOnlyList<string> Titles);

public sealed record HostileReport(
    double Seconds,
    double PeakRssMegabytes,
    long XxeProbeHits,
    int PostsReceived,
    IReadOnlyList<HostileSourceResult> Sources,
    ConformanceReport? Conformance);

/// <summary>Every feed file of the conformance corpus through <see cref="FeedParser"/>: none may throw or take long.</summary>
public sealed record ConformanceReport(int Files, int Parsed, int Failed, int Exceptions, double MaxMilliseconds, string SlowestFile, IReadOnlyList<string> ExceptionSamples);

/// <summary>
/// The real host pointed at the hostile endpoints of a <see cref="FakeFeedServer"/>: each source must end with a
/// stored error or plain-text articles, in bounded time and memory, and nothing may crash.
/// </summary>
public static class HostileRuns
{
    public static IReadOnlyList<string> Paths { get; } =
    [
        HostilePaths.HugeBody,
        HostilePaths.Drip,
        HostilePaths.GzipBomb,
        HostilePaths.InvalidUtf8,
        HostilePaths.Xxe,
        HostilePaths.BillionLaughs,
        HostilePaths.Markup,
        HostilePaths.ControlCharacters,
        HostilePaths.RedirectPrivate,
    ];

    public static async Task<HostileReport> RunAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        var report = await RunSourcesAsync(TimeSpan.FromSeconds(10), cancellationToken);
        progress.WriteLine($"Hostile sources done in {report.Seconds} s");
        var corpus = CorpusLocator.Locate();
        return report with { Conformance = corpus is null ? null : ParseConformance(Path.Combine(corpus, "feeds", "conformance")) };
    }

    /// <summary>Polls each hostile endpoint once (fetch deadline <paramref name="fetchTimeout"/>) and reads back what was stored.</summary>
    public static async Task<HostileReport> RunSourcesAsync(TimeSpan fetchTimeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var server = await FakeFeedServer.StartAsync(new FakeFeedOptions { FeedCount = 1 }, cancellationToken);
        // Each endpoint on its own pretend public host, with the SSRF guard on: the redirect to a private
        // address is refused as in production, and the fetches still run in parallel.
        await using var host = ProofHost.Build(new Dictionary<string, string?>
        {
            ["NewsBot:Feeds:AllowPrivateAddresses"] = "false",
            ["NewsBot:Feeds:Timeout"] = fetchTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["NewsBot:Feeds:BackfillCount"] = "20",
        });
        await host.Host.StartAsync(cancellationToken);
        await host.SubscribeChannelsAsync(1, cancellationToken);
        var urls = Paths.Select((path, i) => server.Url(path, $"hostile{i}{LoopbackNames.PublicSuffix}")).ToList();
        await host.AddSourcesAsync(urls, cancellationToken);
        using (var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(100)))
        {
            while (await host.CountPolledSourcesAsync(cancellationToken) < urls.Count)
            {
                await ticks.WaitForNextTickAsync(cancellationToken);
            }
        }

        var results = new List<HostileSourceResult>();
        var sources = host.Services.GetRequiredService<ISourceStore>();
        var articles = host.Services.GetRequiredService<IArticleStore>();
        foreach (var source in await sources.ListAsync(cancellationToken))
        {
            var stored = await articles.LatestAsync(new ArticleQuery(100, SourceId: source.Id), cancellationToken);
            results.Add(new HostileSourceResult(Paths[urls.IndexOf(source.Url)], source.LastError, stored.Select(a => a.Title).ToList()));
        }

        return new HostileReport(
            Math.Round(clock.Elapsed.TotalSeconds, 2),
            Math.Round(ProcessStats.PeakRssMegabytes(), 2),
            server.XxeProbeHits,
            host.Publisher.Posts.Count,
            results,
            null);
    }

    public static ConformanceReport ParseConformance(string folder)
    {
        var parser = new FeedParser();
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".xml" or ".rss" or ".atom" or ".rdf")
            .Order(StringComparer.Ordinal)
            .ToList();
        int parsed = 0, failed = 0;
        var exceptions = new List<string>();
        var slowest = (Milliseconds: 0.0, File: "");
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            var clock = Stopwatch.StartNew();
            try
            {
                var result = parser.Parse(bytes, null, new Uri("http://conformance.test/feed"));
                if (result.Feed is null)
                {
                    failed++;
                }
                else
                {
                    parsed++;
                }
            }
            catch (Exception ex)
            {
                exceptions.Add($"{Path.GetRelativePath(folder, file)}: {ex.GetType().Name}: {ex.Message}");
            }

            if (clock.Elapsed.TotalMilliseconds > slowest.Milliseconds)
            {
                slowest = (clock.Elapsed.TotalMilliseconds, Path.GetRelativePath(folder, file));
            }
        }

        return new ConformanceReport(files.Count, parsed, failed, exceptions.Count, Math.Round(slowest.Milliseconds, 2), slowest.File, exceptions.Take(10).ToList());
    }
}
