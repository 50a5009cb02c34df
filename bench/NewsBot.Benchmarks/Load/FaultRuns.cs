using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.Fakes.Feeds;
using NewsBot.Storage;
using NewsBot.Storage.Sqlite;

namespace NewsBot.Benchmarks.Load;

/// <summary>What one fault run saw: everything added must arrive exactly once per channel, and the file must stay sound.</summary>
public sealed record FaultReport(
    string Fault,
    long ItemsAdded,
    long PostsExpected,
    int PostsReceived,
    int DuplicatePosts,
    long PublishFaults,
    int ErrorsLogged,
    long PendingDeliveries,
    double SecondsToComplete,
    string IntegrityCheck);

/// <summary>
/// Faults injected into a running host: the database write-locked by another connection, the database full, a
/// platform that fails one send in ten. Each run adds items, injects the fault, clears it, and waits (bounded)
/// until every item was posted to every channel.
/// </summary>
public static class FaultRuns
{
    public const int Feeds = 12;
    public const int Channels = 2;

    public static async Task<IReadOnlyList<FaultReport>> RunAllAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        var reports = new List<FaultReport>();
        foreach (var run in new Func<TimeSpan, CancellationToken, Task<FaultReport>>[] { DatabaseLockedAsync, DatabaseFullAsync, FlakyPlatformAsync })
        {
            reports.Add(await run(TimeSpan.FromSeconds(5), cancellationToken));
            progress.WriteLine(LoadHarness.ToJson(reports[^1]));
        }

        return reports;
    }

    /// <summary>Another connection holds the write lock for <paramref name="duration"/> while items are ingested and delivered.</summary>
    public static Task<FaultReport> DatabaseLockedAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        RunAsync("database_locked", 0, async (host, server) =>
        {
            server.AddItems(Feeds);
            await host.Publisher.WaitForAsync(posts => posts.Count > 0, TimeSpan.FromSeconds(30), cancellationToken);
            await using var blocker = new SqliteConnection($"Data Source={host.DatabasePath};Pooling=False");
            await blocker.OpenAsync(cancellationToken);
            await using (var begin = blocker.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync(cancellationToken);
            }

            server.AddItems(Feeds);
            await Task.Delay(duration, cancellationToken);
            await using var commit = blocker.CreateCommand();
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// The database cannot grow for <paramref name="duration"/>: SQLite's max_page_count (a per-connection limit) is
    /// set on the pooled connections the host will reuse, so every write that needs a new page fails with SQLITE_FULL,
    /// as on a full disk. Clearing the pools ends the fault.
    /// </summary>
    public static Task<FaultReport> DatabaseFullAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        RunAsync("database_full", 0, async (host, server) =>
        {
            var factory = host.Services.GetRequiredService<SqliteConnectionFactory>();
            var limited = new List<SqliteConnection>();
            for (var i = 0; i < 64; i++)
            {
                var connection = await factory.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA max_page_count = 1";
                await command.ExecuteNonQueryAsync(cancellationToken);
                limited.Add(connection);
            }

            // Back to the pool, limit and all.
            foreach (var connection in limited)
            {
                await connection.DisposeAsync();
            }

            // Several rounds of new items, so some write surely needs a page that free space in the file cannot give.
            for (var round = 0; round < 4; round++)
            {
                server.AddItems(Feeds);
                await Task.Delay(duration / 4, cancellationToken);
            }

            SqliteConnection.ClearAllPools();
        }, cancellationToken);

    /// <summary>The platform answers one send in ten with a 5xx, a timeout or a 429 for the whole run.</summary>
    public static Task<FaultReport> FlakyPlatformAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        RunAsync("platform_10pct_failures", 0.1, async (host, server) =>
        {
            for (var round = 0; round < 4; round++)
            {
                server.AddItems(Feeds);
                await Task.Delay(duration / 4, cancellationToken);
            }
        }, cancellationToken);

    /// <summary>
    /// The PostgreSQL server at <paramref name="connectionString"/> (an empty database) restarts while items are ingested
    /// and delivered: <paramref name="restart"/> stops it (its sessions end, pooled connections break) and starts it
    /// again; items arrive before, during and after.
    /// </summary>
    public static Task<FaultReport> PostgresRestartAsync(string connectionString, Func<CancellationToken, Task> restart, CancellationToken cancellationToken) =>
        RunAsync("postgres_restart", 0, async (host, server) =>
        {
            server.AddItems(Feeds);
            await host.Publisher.WaitForAsync(posts => posts.Count > 0, TimeSpan.FromSeconds(30), cancellationToken);
            server.AddItems(Feeds);
            await restart(cancellationToken);
            server.AddItems(Feeds);
        }, cancellationToken, new Dictionary<string, string?>
        {
            ["NewsBot:Database:Provider"] = "postgres",
            ["NewsBot:Database:ConnectionString"] = connectionString,
        });

    private static async Task<FaultReport> RunAsync(string name, double publishFaultRate, Func<ProofHost, FakeFeedServer, Task> fault, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? database = null)
    {
        await using var server = await FakeFeedServer.StartAsync(new FakeFeedOptions { FeedCount = Feeds, InitialItems = 2 }, cancellationToken);
        var logs = new LogCapture();
        await using var host = ProofHost.Build(
            new Dictionary<string, string?>(database ?? new Dictionary<string, string?>())
            {
                ["NewsBot:Feeds:PollInterval"] = "00:00:01",
                ["NewsBot:Feeds:MinPollInterval"] = "00:00:01",
                ["NewsBot:Feeds:MaxPollInterval"] = "00:00:02",
                ["NewsBot:Feeds:MaxConsecutiveFailures"] = "1000",
            },
            publishFaultRate,
            b => b.Logging.AddProvider(logs));
        await host.Host.StartAsync(cancellationToken);
        await host.SubscribeChannelsAsync(Channels, cancellationToken);
        await host.AddSourcesAsync(Enumerable.Range(0, Feeds).Select(i => server.FeedUrl(i, LoopbackNames.Host(i))), cancellationToken);
        if (!await WaitAsync(async () => await host.CountPolledSourcesAsync(cancellationToken) >= Feeds, TimeSpan.FromSeconds(60), cancellationToken))
        {
            throw new TimeoutException("The sources were not polled within 60 s.");
        }

        var clock = Stopwatch.StartNew();
        await fault(host, server);
        var expected = server.AddedItems * Channels;
        try
        {
            await host.Publisher.WaitForAsync(posts => posts.Count >= expected, TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (TimeoutException)
        {
            // Reported below as fewer posts than expected.
        }

        var elapsed = clock.Elapsed;
        // The platform sees a post just before its row is marked sent: let the last settle commit.
        await WaitAsync(async () => await host.CountPendingDeliveriesAsync(cancellationToken) == 0, TimeSpan.FromSeconds(10), cancellationToken);
        return new FaultReport(
            name,
            server.AddedItems,
            expected,
            host.Publisher.Posts.Count,
            host.Publisher.Duplicates,
            host.Publisher.Faults,
            logs.Count(LogLevel.Error),
            await host.CountPendingDeliveriesAsync(cancellationToken),
            Math.Round(elapsed.TotalSeconds, 2),
            await host.IntegrityCheckAsync(cancellationToken));
    }

    /// <summary>Checks <paramref name="done"/> every 100 ms; false when <paramref name="limit"/> passed first.</summary>
    private static async Task<bool> WaitAsync(Func<Task<bool>> done, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > limit)
            {
                return false;
            }

            await ticks.WaitForNextTickAsync(cancellationToken);
        }

        return true;
    }
}
