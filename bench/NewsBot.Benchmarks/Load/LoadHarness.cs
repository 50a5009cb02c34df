using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Benchmarks.Evaluation;
using NewsBot.Fakes.Feeds;
using NewsBot.Feeds;
using NewsBot.Storage;

namespace NewsBot.Benchmarks.Load;

/// <summary>Knobs of one load run; every one has a command-line flag of the same name in kebab case.</summary>
public sealed record LoadSettings
{
    public int Sources { get; init; } = 10_000;
    /// <summary>Steady-state minutes after every source was polled once; the whole run stays under Minutes + first pass + drain.</summary>
    public double Minutes { get; init; } = 2;
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(60);
    public int MaxParallelFetches { get; init; } = 16;
    /// <summary>Distinct host names the sources are spread over (the per-host gate serialises each).</summary>
    public int Hosts { get; init; } = 1000;
    public int Channels { get; init; } = 2;
    /// <summary>Feeds that get a new item each second during the steady state.</summary>
    public int NewItemsPerSecond { get; init; } = 20;
    public int SlowEvery { get; init; } = 100;
    public int FailEvery { get; init; } = 200;
    /// <summary>sqlite (a temp file) or postgres (<see cref="Connection"/>, an empty database).</summary>
    public string Engine { get; init; } = "sqlite";
    public string? Connection { get; init; }

    /// <summary>The settings that put the host on <see cref="Engine"/>.</summary>
    public Dictionary<string, string?> DatabaseSettings() => Engine == "postgres"
        ? new() { ["NewsBot:Database:Provider"] = "postgres", ["NewsBot:Database:ConnectionString"] = Connection ?? throw new ArgumentException("--engine postgres needs --connection \"Host=…;Database=…;Username=…\" (an empty database)") }
        : [];

    public static LoadSettings Parse(string[] args)
    {
        var settings = new LoadSettings();
        string? Value(string name) => BenchArguments.Text(args, name);
        int Int(string name, int fallback) => BenchArguments.Int(args, name, fallback);
        return settings with
        {
            Sources = Int("--sources", settings.Sources),
            Minutes = BenchArguments.Real(args, "--minutes", settings.Minutes),
            PollInterval = TimeSpan.FromSeconds(Int("--poll-interval", (int)settings.PollInterval.TotalSeconds)),
            MaxParallelFetches = Int("--max-parallel-fetches", settings.MaxParallelFetches),
            Hosts = Int("--hosts", settings.Hosts),
            Channels = Int("--channels", settings.Channels),
            NewItemsPerSecond = Int("--new-items-per-second", settings.NewItemsPerSecond),
            SlowEvery = Int("--slow-every", settings.SlowEvery),
            FailEvery = Int("--fail-every", settings.FailEvery),
            Engine = Value("--engine") ?? settings.Engine,
            Connection = Value("--connection"),
        };
    }
}

/// <summary>What a load run measured.</summary>
public sealed record LoadReport(
    int Sources,
    double FirstPassSeconds,
    long ArticlesStored,
    double IngestItemsPerSecond,
    double FirstPassCpuSeconds,
    double CpuMillisecondsPerArticle,
    double SteadyMinutes,
    double PollsPerMinute,
    double PollsPerMinuteGoal,
    long NotModifiedAnswers,
    long ItemsAdded,
    long PostsExpected,
    long PostsReceived,
    int DuplicatePosts,
    double LatencyP50Seconds,
    double LatencyP99Seconds,
    double PeakRssMegabytes,
    double RssBeforeHostMegabytes,
    double CpuSeconds,
    double WallSeconds,
    string LoadAverage,
    string Engine);

/// <summary>Start-up of a host with nothing to do.</summary>
public sealed record IdleReport(double TimeToReadyMilliseconds, double IdleRssMegabytes, double PeakRssMegabytes);

/// <summary>
/// Runs the real host in-process against a <see cref="FakeFeedServer"/> with many sources and measures ingestion,
/// polling rate, item-to-post latency, memory and CPU. Goal on 2 cores: 10,000 sources per 10 minutes within 250 MB.
/// </summary>
public static class LoadHarness
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string ToJson<T>(T report) => JsonSerializer.Serialize(report, Json);

    public static async Task<LoadReport> RunAsync(LoadSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var cpuAtStart = ProcessStats.CpuTime();
        await using var server = await FakeFeedServer.StartAsync(new FakeFeedOptions
        {
            FeedCount = settings.Sources,
            SlowEvery = settings.SlowEvery,
            SlowDelay = TimeSpan.FromSeconds(2),
            UnavailableEvery = settings.FailEvery,
            RetryAfter = settings.PollInterval,
        }, cancellationToken);
        // The fake server shares the process: what it and the runtime hold before the host exists, for comparison.
        var rssBeforeHost = ProcessStats.RssMegabytes();
        await using var host = ProofHost.Build(new Dictionary<string, string?>(settings.DatabaseSettings())
        {
            ["NewsBot:Feeds:PollInterval"] = settings.PollInterval.ToString("c", CultureInfo.InvariantCulture),
            ["NewsBot:Feeds:MinPollInterval"] = settings.PollInterval.ToString("c", CultureInfo.InvariantCulture),
            ["NewsBot:Feeds:MaxParallelFetches"] = settings.MaxParallelFetches.ToString(CultureInfo.InvariantCulture),
            ["NewsBot:Feeds:Timeout"] = "00:00:10",
        });
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        await host.Host.StartAsync(cancellationToken);
        await host.SubscribeChannelsAsync(settings.Channels, cancellationToken);
        var urls = Enumerable.Range(0, settings.Sources).Select(i => server.FeedUrl(i, LoopbackNames.Host(i % settings.Hosts)));
        await host.AddSourcesAsync(urls, cancellationToken);
        progress.WriteLine($"{settings.Sources} sources added in {wall.Elapsed.TotalSeconds:F1} s");

        var firstPassStart = wall.Elapsed;
        // CPU time per article holds up on a shared machine, where the wall time of the first pass follows the load.
        var cpuAtFirstPass = ProcessStats.CpuTime();
        await WaitUntilAsync(async () => await host.CountPolledSourcesAsync(cancellationToken) >= settings.Sources, TimeSpan.FromMinutes(10), cancellationToken, progress: progress);
        var firstPass = wall.Elapsed - firstPassStart;
        var firstPassCpu = ProcessStats.CpuTime() - cpuAtFirstPass;
        var articles = await host.CountArticlesAsync(cancellationToken);
        progress.WriteLine($"First pass: {firstPass.TotalSeconds:F1} s, {articles} articles, {firstPassCpu.TotalSeconds:F1} s CPU, {ProcessStats.Memory()}");

        progress.WriteLine("Steady state:");
        var steadyStart = wall.Elapsed;
        var requestsAtStart = server.FeedRequests;
        var notModifiedAtStart = server.NotModifiedAnswers;
        server.StartPublishing(TimeSpan.FromSeconds(1), settings.NewItemsPerSecond);
        await WaitUntilAsync(() => Task.FromResult(false), TimeSpan.FromMinutes(settings.Minutes), cancellationToken, mayTimeOut: true, progress);
        server.StopPublishing();
        var steady = wall.Elapsed - steadyStart;
        var polls = server.FeedRequests - requestsAtStart;

        // Drain: items added near the end need up to one poll interval to be seen, then delivery.
        var expected = server.AddedItems * settings.Channels;
        progress.WriteLine("Drain:");
        await WaitUntilAsync(() => Task.FromResult(host.Publisher.Posts.Count >= expected), settings.PollInterval * 2, cancellationToken, mayTimeOut: true, progress);
        var latencies = host.Publisher.Posts
            .Select(p => p.Url is { } url && server.TryGetAppearance(url, out var appeared) ? (p.ReceivedAt - appeared).TotalSeconds : double.NaN)
            .Where(s => !double.IsNaN(s))
            .Order()
            .ToList();
        return new LoadReport(
            settings.Sources,
            Round(firstPass.TotalSeconds),
            articles,
            Round(articles / firstPass.TotalSeconds),
            Round(firstPassCpu.TotalSeconds),
            Round(firstPassCpu.TotalMilliseconds / Math.Max(1, articles)),
            Round(steady.TotalMinutes),
            Round(polls / steady.TotalMinutes),
            Round(settings.Sources / 10.0),
            server.NotModifiedAnswers - notModifiedAtStart,
            server.AddedItems,
            expected,
            host.Publisher.Posts.Count,
            host.Publisher.Duplicates,
            Round(Percentile(latencies, 0.50)),
            Round(Percentile(latencies, 0.99)),
            Round(ProcessStats.PeakRssMegabytes()),
            Round(rssBeforeHost),
            Round((ProcessStats.CpuTime() - cpuAtStart).TotalSeconds),
            Round(wall.Elapsed.TotalSeconds),
            ProcessStats.LoadAverage(),
            settings.Engine);
    }

    /// <summary>Starts a host with no sources: time from StartAsync to the first poll round done, then RSS at rest.</summary>
    public static async Task<IdleReport> RunIdleAsync(CancellationToken cancellationToken)
    {
        await using var host = ProofHost.Build(new Dictionary<string, string?>());
        var clock = Stopwatch.StartNew();
        await host.Host.StartAsync(cancellationToken);
        await host.Services.GetRequiredService<PollSignal>().FirstRound.WaitAsync(cancellationToken);
        var ready = clock.Elapsed;
        // Let start-up garbage go, as it would in a process that has been idle a few seconds.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return new IdleReport(Round(ready.TotalMilliseconds), Round(ProcessStats.RssMegabytes()), Round(ProcessStats.PeakRssMegabytes()));
    }

    public static double Percentile(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double Round(double value) => Math.Round(value, 2);

    /// <summary>Checks <paramref name="done"/> twice a second until it holds or <paramref name="limit"/> passes.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> done, TimeSpan limit, CancellationToken cancellationToken, bool mayTimeOut = false, TextWriter? progress = null)
    {
        var clock = Stopwatch.StartNew();
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        var reported = 0;
        while (!await done())
        {
            if (clock.Elapsed >= limit)
            {
                if (mayTimeOut)
                {
                    return;
                }

                throw new TimeoutException($"Load run condition not met within {limit}.");
            }

            if (progress is not null && (int)clock.Elapsed.TotalSeconds / 15 > reported)
            {
                reported = (int)clock.Elapsed.TotalSeconds / 15;
                progress.WriteLine($"  {clock.Elapsed.TotalSeconds:F0} s: {ProcessStats.Memory()}, peak {ProcessStats.PeakRssMegabytes():F0} MB");
            }

            await ticks.WaitForNextTickAsync(cancellationToken);
        }
    }
}
