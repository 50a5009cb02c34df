using System.Diagnostics;
using System.Globalization;
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
/// <c>archive [--articles N] [--db PATH] [--queries Q] [--engine sqlite|postgres --connection CS]</c>: the knowledge
/// queries over a large archive (default 1,000,000 articles, kept in the temp folder and reused while its article count
/// matches; on PostgreSQL copied from that SQLite archive into the given database and reused likewise). Times each query kind in process
/// through the real stores and prints one JSON object: wall and CPU p50/p95/p99 in milliseconds, build time, database size.
/// A Stopwatch run, not BenchmarkDotNet: the archive takes minutes to build and the spread across inputs is the point.
/// </summary>
public static class ArchiveBenchmark
{
    /// <summary>
    /// Untimed queries before each kind is timed: first-touch page reads, and the JIT's tiering (a method runs as quickly
    /// compiled code for its first 30 calls, then is recompiled in the background), which a running bot is long past.
    /// With 5 the first timed lookups of a kind still ran partly unoptimised and made up its p99.
    /// </summary>
    private const int WarmUpQueries = 50;

    public static async Task<string> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var articles = (int)Argument(args, "--articles", 1_000_000);
        var queries = (int)Argument(args, "--queries", 300);
        var databasePath = Path.GetFullPath(ArgumentText(args, "--db") ?? Path.Combine(Path.GetTempPath(), $"newsbot-archive-{articles}.db"));
        var engine = ArgumentText(args, "--engine") ?? "sqlite";
        if (engine == "postgres")
        {
            return await RunOnPostgresAsync(databasePath, ArgumentText(args, "--connection")
                ?? throw new ArgumentException("--engine postgres needs --connection \"Host=…;Database=…;Username=…\" (an empty database, or one this benchmark filled)"),
                articles, queries, cancellationToken);
        }

        var (buildSeconds, host) = await EnsureSqliteArchiveAsync(databasePath, articles, cancellationToken);
        using (host)
        {
            return await MeasureAsync(host.Services, new FileInfo(databasePath).Length, articles, queries, buildSeconds, cancellationToken);
        }
    }

    /// <summary>
    /// The same archive in PostgreSQL: built by <c>db copy</c>'s code from the SQLite archive (made first if missing),
    /// so both engines answer over identical rows; "buildSeconds" is then the copy's time.
    /// </summary>
    private static async Task<string> RunOnPostgresAsync(string databasePath, string connection, int articles, int queries, CancellationToken cancellationToken)
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
        return await MeasureAsync(host.Services, bytes, articles, queries, buildSeconds, cancellationToken);
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

    private static async Task<string> MeasureAsync(IServiceProvider services, long databaseBytes, int articles, int queries, double? buildSeconds, CancellationToken cancellationToken)
    {
        var vocabulary = new ArchiveVocabulary();
        var topics = ArchiveGenerator.TopicNames(vocabulary, services.GetRequiredService<ITopicNormalizer>());
        var store = services.GetRequiredService<IArticleStore>();
        var search = services.GetRequiredService<ArticleSearch>();
        var index = services.GetRequiredService<ISearchIndex>();
        var topicStore = services.GetRequiredService<ITopicStore>();
        var finder = services.GetRequiredService<RelatedArticleFinder>();
        var newest = (await store.LatestAsync(new ArticleQuery(1), cancellationToken))[0].FirstSeenAt;
        var random = new Random(7);

        // Users search for content words: frequent ones (in a large share of the archive), middling and rare ones, 1–3 at a time.
        string Word() => random.Next(3) switch
        {
            0 => vocabulary.Words[random.Next(vocabulary.FirstContentRank, vocabulary.FirstContentRank + 100)],
            1 => vocabulary.Words[random.Next(vocabulary.FirstContentRank + 100, 5_000)],
            _ => vocabulary.Words[random.Next(5_000, vocabulary.Words.Count)],
        };
        string TopicKey() => topics[random.Next(2) == 0 ? random.Next(20) : random.Next(topics.Count)].Key;
        long ArticleId() => 1 + random.NextInt64(articles);

        var results = new Dictionary<string, object>
        {
            ["articles"] = articles,
            ["databaseBytes"] = databaseBytes,
            ["bytesPerArticle"] = databaseBytes / articles,
            ["buildSeconds"] = buildSeconds is null ? "reused" : buildSeconds.Value,
            ["queriesPerKind"] = queries,
        };
        results["search"] = await TimeAsync(queries, async () =>
        {
            var text = string.Join(' ', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Word()));
            await search.SearchAsync(text, 10, cancellationToken);
        });
        results["latest"] = await TimeAsync(queries, async () => await store.LatestAsync((random.Next(3)) switch
        {
            0 => new ArticleQuery(10),
            1 => new ArticleQuery(10, SourceId: 1 + random.Next(ArchiveGenerator.Sources)),
            _ => new ArticleQuery(10, TopicKey: TopicKey()),
        }, cancellationToken));
        results["topic"] = await TimeAsync(queries, async () => await store.LatestAsync(new ArticleQuery(5, TopicKey: TopicKey()), cancellationToken));
        results["related"] = await TimeAsync(queries, async () =>
        {
            // What /related does once the article is resolved: its page links, then the archive's most similar articles,
            // each article asked once (a repeat would be served from the finder's cache).
            var article = (await store.GetAsync(ArticleId(), cancellationToken))!;
            var pageLinks = await store.RelatedLinksAsync(article.Id, cancellationToken);
            RelatedArticleFinder.Combine(article, pageLinks, finder.Find(article, RelatedArticleFinder.MaxResults), RelatedArticleFinder.MaxResults);
        });
        results["trending24h"] = await TimeAsync(queries, async () => await topicStore.CountAsync(newest.AddHours(-24), newest, cancellationToken));
        results["trending7d"] = await TimeAsync(queries, async () => await topicStore.CountAsync(newest.AddDays(-7), newest, cancellationToken));
        return JsonSerializer.Serialize(results);
    }

    /// <summary>
    /// Runs the query <see cref="WarmUpQueries"/> times untimed, then <paramref name="count"/> times timed: wall
    /// time, and the process's CPU time, which on a shared machine says what the query costs without the wait for a core.
    /// </summary>
    private static async Task<object> TimeAsync(int count, Func<Task> query)
    {
        for (var i = 0; i < WarmUpQueries; i++)
        {
            await query();
        }

        var samples = new double[count];
        var cpu = new double[count];
        for (var i = 0; i < count; i++)
        {
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var watch = Stopwatch.StartNew();
            await query();
            samples[i] = watch.Elapsed.TotalMilliseconds;
            cpu[i] = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds;
        }

        Array.Sort(samples);
        Array.Sort(cpu);
        double At(double[] sorted, double quantile) => Math.Round(sorted[Math.Min(count - 1, (int)Math.Ceiling(quantile * count) - 1)], 2);
        return new
        {
            p50 = At(samples, 0.50), p95 = At(samples, 0.95), p99 = At(samples, 0.99), max = Math.Round(samples[^1], 2),
            cpuP50 = At(cpu, 0.50), cpuP95 = At(cpu, 0.95), cpuP99 = At(cpu, 0.99),
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

    private static long Argument(string[] args, string name, long fallback) =>
        ArgumentText(args, name) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? ArgumentText(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
