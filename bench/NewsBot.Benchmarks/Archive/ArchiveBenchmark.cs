using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NewsBot.Commands;
using NewsBot.Hosting;
using NewsBot.Knowledge;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Benchmarks.Archive;

/// <summary>
/// <c>archive [--articles N] [--db PATH] [--queries Q] [--phases] [--engine sqlite|postgres --connection CS]</c>: the
/// knowledge queries over a large archive (default 1,000,000 articles, kept in the temp folder and reused while its article
/// count matches; on PostgreSQL copied from that SQLite archive into the given database by db copy's code and reused
/// likewise). Times each query kind in process through the real stores and prints one JSON object: wall and CPU
/// p50/p95/p99/max in milliseconds, build time, database size, and per kind how long it was warmed up and how many methods
/// the JIT still compiled while it was timed. With <c>--phases</c>, only <c>/related</c>, split into its phases (<see cref="RelatedPhases"/>).
/// A Stopwatch run, not BenchmarkDotNet: the archive takes minutes to build and the spread across inputs is the point.
/// </summary>
/// <remarks>
/// Each kind is timed in steady state, as a bot that has run for a while serves it (<see cref="WarmUpAsync"/>). The timed
/// inputs are the same in every run (their own seeded random), whatever the warm-up took; the warm-up asks other inputs.
/// </remarks>
public static class ArchiveBenchmark
{
    /// <summary>
    /// The warm-up runs untimed queries for at least this long and until the JIT has compiled nothing for
    /// <see cref="JitQuietFor"/>. Tiered compilation runs a method as quickly compiled code first, counts its calls only
    /// once no new method has been compiled for 100 ms, and recompiles it optimised in the background after 30 calls (with
    /// dynamic PGO, after an instrumented round). A fixed 50 warm-up queries ended inside that: on a quiet machine
    /// /related at 1M had a wall p99 of 20.7 ms with it and 11.8 ms with tiering switched off
    /// (<c>DOTNET_TieredCompilation=0</c>), so the tail was the compiler, which a running bot is long past.
    /// </summary>
    internal static readonly TimeSpan MinWarmUp = TimeSpan.FromSeconds(3);

    internal static readonly TimeSpan JitQuietFor = TimeSpan.FromSeconds(1);

    /// <summary>A query kind that never lets the JIT go quiet is timed anyway after this; its output says so.</summary>
    internal static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(60);

    private const int TimedSeed = 7;
    private const int WarmUpSeed = 8;

    public static async Task<string> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var articles = (int)BenchArguments.Long(args, "--articles", 1_000_000);
        var queries = (int)BenchArguments.Long(args, "--queries", 300);
        if (queries < 1 || queries > articles / 2)
        {
            // Each /related query asks a different article, the warm-up others again.
            throw new ArgumentException($"--queries must be between 1 and half of --articles ({articles / 2}), not {queries}.");
        }

        var databasePath = Path.GetFullPath(BenchArguments.Text(args, "--db") ?? Path.Combine(Path.GetTempPath(), $"newsbot-archive-{articles}.db"));
        var engine = BenchArguments.Text(args, "--engine") ?? "sqlite";
        if (engine == "postgres")
        {
            return await RunOnPostgresAsync(databasePath, BenchArguments.Text(args, "--connection")
                ?? throw new ArgumentException("--engine postgres needs --connection \"Host=…;Database=…;Username=…\" (an empty database, or one this benchmark filled)"),
                articles, queries, args, cancellationToken);
        }

        var (buildSeconds, host) = await EnsureSqliteArchiveAsync(databasePath, articles, cancellationToken);
        using (host)
        {
            return await MeasureAsync(host.Services, new FileInfo(databasePath).Length, articles, queries, buildSeconds, args, cancellationToken);
        }
    }

    /// <summary>
    /// The same archive in PostgreSQL: built by <c>db copy</c>'s code from the SQLite archive (made first if missing),
    /// so both engines answer over identical rows; "buildSeconds" is then the copy's time.
    /// </summary>
    private static async Task<string> RunOnPostgresAsync(string databasePath, string connection, int articles, int queries, string[] args, CancellationToken cancellationToken)
    {
        using var host = BuildHost(databasePath, connection);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        double? buildSeconds = null;
        if (await host.Services.GetRequiredService<IArticleStore>().CountAsync(cancellationToken) != articles)
        {
            var (_, sqlite) = await EnsureSqliteArchiveAsync(databasePath, articles, cancellationToken);
            using (sqlite)
            {
                var copy = await DatabaseCopy.ToPostgresAsync(sqlite.Services.GetRequiredService<IDatabaseExport>(), connection, TimeProvider.System,
                    sqlite.Services.GetRequiredService<ILoggerFactory>(), null, cancellationToken);
                buildSeconds = Math.Round(copy.Elapsed.TotalSeconds, 1);
            }
        }

        var bytes = (await host.Services.GetRequiredService<IStorageMaintenance>().DescribeAsync(cancellationToken))["bytes"];
        return await MeasureAsync(host.Services, bytes, articles, queries, buildSeconds, args, cancellationToken);
    }

    /// <summary>The SQLite archive of <paramref name="articles"/> articles at the path, generated unless it is there already.</summary>
    private static async Task<(double? BuildSeconds, IHost Host)> EnsureSqliteArchiveAsync(string databasePath, int articles, CancellationToken cancellationToken)
    {
        var host = BuildHost(databasePath);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        if (await host.Services.GetRequiredService<IArticleStore>().CountAsync(cancellationToken) == articles)
        {
            return (null, host);
        }

        SqliteConnection.ClearAllPools();
        host.Dispose();
        DeleteDatabase(databasePath);
        var fresh = BuildHost(databasePath);
        await fresh.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        SqliteConnection.ClearAllPools();
        var anchor = ArchiveGenerator.Anchor(TimeProvider.System.GetUtcNow());
        var vocabulary = new ArchiveVocabulary();
        var topics = ArchiveGenerator.TopicNames(vocabulary, fresh.Services.GetRequiredService<ITopicNormalizer>());
        var built = await ArchiveGenerator.GenerateAsync(databasePath, articles, anchor, vocabulary, topics, cancellationToken);
        return (Math.Round(built.TotalSeconds, 1), fresh);
    }

    private static async Task<string> MeasureAsync(IServiceProvider services, long databaseBytes, int articles, int queries, double? buildSeconds, string[] args, CancellationToken cancellationToken)
    {
        var vocabulary = new ArchiveVocabulary();
        var topics = ArchiveGenerator.TopicNames(vocabulary, services.GetRequiredService<ITopicNormalizer>());
        var store = services.GetRequiredService<IArticleStore>();
        var search = services.GetRequiredService<ArticleSearch>();
        var topicStore = services.GetRequiredService<ITopicStore>();
        var finder = services.GetRequiredService<RelatedArticleFinder>();
        var newest = (await store.LatestAsync(new ArticleQuery(1), cancellationToken))[0].FirstSeenAt;

        // Each article is asked for its related ones once (a repeat would be served from the finder's cache), and the timed
        // ones never during the warm-up.
        var timedIds = new Queue<long>();
        var askedIds = new HashSet<long>();
        var timedRandom = new Random(TimedSeed);
        long NewId(Random random)
        {
            long id;
            while (!askedIds.Add(id = 1 + random.NextInt64(articles)))
            {
            }

            return id;
        }

        while (timedIds.Count < queries)
        {
            timedIds.Enqueue(NewId(timedRandom));
        }

        if (Array.IndexOf(args, "--phases") >= 0)
        {
            var phases = new RelatedPhases(services.GetRequiredService<ISimilarityIndex>());
            var warmUpRandom = new Random(WarmUpSeed);
            var warmUp = await WarmUpAsync(async () => phases.Find((await store.GetAsync(NewId(warmUpRandom), cancellationToken))!));
            var timed = new List<Article>(queries);
            foreach (var id in timedIds)
            {
                timed.Add((await store.GetAsync(id, cancellationToken))!);
            }

            return JsonSerializer.Serialize(phases.Measure(timed, warmUp));
        }

        // Users search for content words: frequent ones (in a large share of the archive), middling and rare ones, 1–3 at a time.
        string Word(Random random) => random.Next(3) switch
        {
            0 => vocabulary.Words[random.Next(vocabulary.FirstContentRank, vocabulary.FirstContentRank + 100)],
            1 => vocabulary.Words[random.Next(vocabulary.FirstContentRank + 100, 5_000)],
            _ => vocabulary.Words[random.Next(5_000, vocabulary.Words.Count)],
        };
        string TopicKey(Random random) => topics[random.Next(2) == 0 ? random.Next(20) : random.Next(topics.Count)].Key;

        // What /related does once the article is resolved: its page links, then the archive's most similar articles.
        async Task RelatedAsync(long id)
        {
            var article = (await store.GetAsync(id, cancellationToken))!;
            var pageLinks = await store.RelatedLinksAsync(article.Id, cancellationToken);
            RelatedArticleFinder.Combine(article, pageLinks, finder.Find(article, RelatedArticleFinder.MaxResults), RelatedArticleFinder.MaxResults);
        }

        var results = new Dictionary<string, object>
        {
            ["articles"] = articles,
            ["databaseBytes"] = databaseBytes,
            ["bytesPerArticle"] = databaseBytes / articles,
            ["buildSeconds"] = buildSeconds is null ? "reused" : buildSeconds.Value,
            ["queriesPerKind"] = queries,
        };
        results["search"] = await TimeAsync(queries, async random =>
        {
            var text = string.Join(' ', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Word(random)));
            await search.SearchAsync(text, 10, cancellationToken);
        });
        results["latest"] = await TimeAsync(queries, async random => await store.LatestAsync(random.Next(3) switch
        {
            0 => new ArticleQuery(10),
            1 => new ArticleQuery(10, SourceId: 1 + random.Next(ArchiveGenerator.Sources)),
            _ => new ArticleQuery(10, TopicKey: TopicKey(random)),
        }, cancellationToken));
        results["topic"] = await TimeAsync(queries, async random => await store.LatestAsync(new ArticleQuery(5, TopicKey: TopicKey(random)), cancellationToken));
        results["related"] = await TimeAsync(queries, random => RelatedAsync(NewId(random)), _ => RelatedAsync(timedIds.Dequeue()));
        results["trending24h"] = await TimeAsync(queries, async _ => await topicStore.CountAsync(newest.AddHours(-24), newest, cancellationToken));
        results["trending7d"] = await TimeAsync(queries, async _ => await topicStore.CountAsync(newest.AddDays(-7), newest, cancellationToken));
        return JsonSerializer.Serialize(results);
    }

    /// <summary>How long a query kind was warmed up, and how many queries that was.</summary>
    internal sealed record WarmUp(int Queries, double Seconds);

    /// <summary>
    /// Runs the query untimed for at least <see cref="MinWarmUp"/> and until the JIT has compiled no method for
    /// <see cref="JitQuietFor"/> (at most <see cref="MaxWarmUp"/>).
    /// </summary>
    internal static async Task<WarmUp> WarmUpAsync(Func<Task> query)
    {
        var watch = Stopwatch.StartNew();
        var queries = 0;
        var compiled = JitInfo.GetCompiledMethodCount();
        var lastCompile = TimeSpan.Zero;
        while (watch.Elapsed < MaxWarmUp && (watch.Elapsed < MinWarmUp || watch.Elapsed - lastCompile < JitQuietFor))
        {
            await query();
            queries++;
            if (JitInfo.GetCompiledMethodCount() is var now && now != compiled)
            {
                compiled = now;
                lastCompile = watch.Elapsed;
            }
        }

        return new WarmUp(queries, Math.Round(watch.Elapsed.TotalSeconds, 1));
    }

    /// <summary>
    /// Warms the query up (<see cref="WarmUpAsync"/>, inputs from their own random), then runs it <paramref name="count"/>
    /// times timed with inputs from a random seeded alike in every run: wall time, and the process's CPU time, which on a
    /// shared machine says what the query costs without the wait for a core (it includes the JIT's and GC's threads).
    /// </summary>
    private static async Task<object> TimeAsync(int count, Func<Random, Task> query) => await TimeAsync(count, query, query);

    private static async Task<object> TimeAsync(int count, Func<Random, Task> warmUpQuery, Func<Random, Task> timedQuery)
    {
        var warmUpRandom = new Random(WarmUpSeed);
        var warmUp = await WarmUpAsync(() => warmUpQuery(warmUpRandom));
        var random = new Random(TimedSeed);
        var samples = new double[count];
        var cpu = new double[count];
        var compiledBefore = JitInfo.GetCompiledMethodCount();
        for (var i = 0; i < count; i++)
        {
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var watch = Stopwatch.StartNew();
            await timedQuery(random);
            samples[i] = watch.Elapsed.TotalMilliseconds;
            cpu[i] = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds;
        }

        var compiledWhileTimed = JitInfo.GetCompiledMethodCount() - compiledBefore;
        Array.Sort(samples);
        Array.Sort(cpu);
        double At(double[] sorted, double quantile) => Math.Round(sorted[Math.Min(count - 1, (int)Math.Ceiling(quantile * count) - 1)], 2);
        return new
        {
            p50 = At(samples, 0.50), p95 = At(samples, 0.95), p99 = At(samples, 0.99), max = Math.Round(samples[^1], 2),
            cpuP50 = At(cpu, 0.50), cpuP95 = At(cpu, 0.95), cpuP99 = At(cpu, 0.99), cpuMax = Math.Round(cpu[^1], 2),
            warmUpQueries = warmUp.Queries, warmUpSeconds = warmUp.Seconds, compiledWhileTimed,
        };
    }

    /// <summary>The real host over one database file (or, given <paramref name="postgres"/>, that PostgreSQL database), no console, no configured sources; never started.</summary>
    internal static IHost BuildHost(string databasePath, string? postgres = null) =>
        NewsBotHost.CreateBuilder([], Path.GetDirectoryName(databasePath), b =>
        {
            b.Configuration.Sources.Clear();
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["NewsBot:Database"] = databasePath,
                ["NewsBot:Database:Provider"] = postgres is null ? "sqlite" : "postgres",
                ["NewsBot:Database:ConnectionString"] = postgres,
                ["NewsBot:Console:Enabled"] = "off",
            });
            b.Logging.ClearProviders();
        }).Build();

    private static void DeleteDatabase(string databasePath)
    {
        foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
        {
            File.Delete(file);
        }
    }

}
