using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.Fakes.Discord;
using NewsBot.Fakes.Feeds;
using NewsBot.Fakes.Telegram;
using NewsBot.Hosting;
using NewsBot.Model;
using NewsBot.Storage;
using Npgsql;

namespace NewsBot.Benchmarks.Cluster;

/// <summary>
/// Everything a cluster run needs besides the NewsBot processes: a throwaway PostgreSQL, a loopback feed server spread
/// over <see cref="ClusterSettings.Hosts"/> loopback addresses (its requests recorded), the fake Discord (sharded) and
/// the fake Telegram at the documented limits; the database seeded through NewsBot's own stores; and the environment
/// variables that point a <c>newsbot</c> process at all of it.
/// </summary>
public sealed class ClusterEnvironment : IAsyncDisposable
{
    /// <summary>Discord channel i is 710…000 + i; Telegram chat i is the supergroup -1003…000 - i.</summary>
    private const long FirstDiscordChannel = 710_000_000_000_000_000;
    private const long FirstTelegramChat = -1_003_000_000_000;

    private readonly ClusterSettings _settings;
    private readonly string _folder;

    private ClusterEnvironment(ClusterSettings settings, string folder, ThrowawayPostgres database, FakeFeedServer feeds, FakeDiscordServer discord, FakeTelegramServer telegram)
    {
        _settings = settings;
        _folder = folder;
        Database = database;
        Feeds = feeds;
        Discord = discord;
        Telegram = telegram;
    }

    public ThrowawayPostgres Database { get; }

    public FakeFeedServer Feeds { get; }

    public FakeDiscordServer Discord { get; }

    public FakeTelegramServer Telegram { get; }

    /// <summary>The processes' working folder: holds the appsettings.json that leaves out the sample feed.</summary>
    public string WorkingFolder => _folder;

    /// <summary>Feed items each feed holds before the run; a first read posts none of them (BackfillCount 0).</summary>
    public const int InitialItems = 1;

    /// <summary>Connections each process may hold (Npgsql's default is 100, too many for a small server times N).</summary>
    private const int ProcessPoolSize = 30;

    public static async Task<ClusterEnvironment> StartAsync(ClusterSettings settings, bool unlimitedPlatforms, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("newsbot-cluster-").FullName;
        // Content root of every process: its own appsettings.json instead of the repository's (which lists the sample feed).
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), """
            { "Logging": { "LogLevel": { "Default": "Warning", "NewsBot": "Information", "NewsBot.Feeds.SourceRefresher": "Warning", "System.Net.Http.HttpClient": "Warning" } } }
            """, cancellationToken);
        // Room for every process's pool (ProcessPoolSize), the harness, and a killed process's connections not yet reaped.
        var database = await ThrowawayPostgres.StartAsync(maxConnections: 50 + (settings.Processes * 2 * ProcessPoolSize), cancellationToken);
        var feeds = await FakeFeedServer.StartAsync(new FakeFeedOptions
        {
            FeedCount = settings.Sources,
            InitialItems = InitialItems,
            LoopbackAddresses = settings.Hosts,
            RecordRequests = true,
        }, cancellationToken);
        var discord = await FakeDiscordServer.StartAsync(new FakeDiscordOptions
        {
            // Discord's own interval: a killed process is seen by its dropped socket, not by missed heartbeats.
            HeartbeatIntervalMs = 41_250,
            Shards = settings.Shards,
            GlobalLimitPerSecond = unlimitedPlatforms ? 100_000 : 50,
            ChannelBucketSize = unlimitedPlatforms ? 100_000 : 5,
        }, cancellationToken);
        var telegram = await FakeTelegramServer.StartAsync(new FakeTelegramServerOptions
        {
            RateLimits = unlimitedPlatforms ? FakeTelegramRateLimits.None : FakeTelegramRateLimits.Realistic,
        }, cancellationToken);
        return new ClusterEnvironment(settings, folder, database, feeds, discord, telegram);
    }

    public static string DiscordChannel(int index) => (FirstDiscordChannel + index).ToString(CultureInfo.InvariantCulture);

    public static string TelegramChat(int index) => (FirstTelegramChat - index).ToString(CultureInfo.InvariantCulture);

    /// <summary>The channel (on each platform) that feed <paramref name="feed"/> posts to.</summary>
    public int ChannelOf(int feed) => feed % _settings.Channels;

    /// <summary>
    /// The settings of process <paramref name="slot"/>, as environment variables: PostgreSQL, cluster mode, both fakes,
    /// and a User-Agent naming the slot so the feed server can tell which process polled.
    /// </summary>
    public Dictionary<string, string> ProcessEnvironment(int slot, bool unlimitedPlatforms)
    {
        var interval = _settings.PollInterval.ToString("c", CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>
        {
            ["NewsBot__Database__Provider"] = "postgres",
            ["NewsBot__Database__ConnectionString"] = string.Create(CultureInfo.InvariantCulture, $"{Database.ConnectionString};Maximum Pool Size={ProcessPoolSize}"),
            ["NewsBot__Cluster__Enabled"] = "true",
            // Consistent with the poll interval: start-up refuses a DeadAfter over half of it (docs/operations.md, cluster settings).
            ["NewsBot__Cluster__DeadAfter"] = _settings.DeadAfter.ToString("c", CultureInfo.InvariantCulture),
            ["NewsBot__Cluster__HeartbeatInterval"] = _settings.HeartbeatInterval.ToString("c", CultureInfo.InvariantCulture),
            ["NewsBot__Console__Enabled"] = "off",
            ["NewsBot__Feeds__AllowPrivateAddresses"] = "true",
            ["NewsBot__Feeds__BackfillCount"] = "0",
            ["NewsBot__Feeds__PollInterval"] = interval,
            ["NewsBot__Feeds__MinPollInterval"] = interval,
            ["NewsBot__Feeds__MaxParallelFetches"] = "16",
            ["NewsBot__Feeds__UserAgent"] = UserAgentOf(slot),
            ["NewsBot__Publishing__RetryDelay"] = "00:00:01",
            ["NewsBot__Publishing__MaxRetryDelay"] = "00:00:10",
            ["NewsBot__Publishing__MaxAttempts"] = "100",
            ["NewsBot__Publishing__MaxConcurrentSends"] = _settings.MaxConcurrentSends.ToString(CultureInfo.InvariantCulture),
            ["NewsBot__Discord__Token"] = Discord.Options.Token,
            ["NewsBot__Discord__ApiBaseUrl"] = Discord.ApiBaseUrl,
            ["NewsBot__Telegram__Token"] = Telegram.Token,
            ["NewsBot__Telegram__ApiBaseUrl"] = Telegram.BaseUrl,
            ["NewsBot__Telegram__PollTimeout"] = "00:00:10",
            // The memory settings the Dockerfile and the systemd unit ship with (docs/operations.md, "Memory").
            ["MALLOC_ARENA_MAX"] = "2",
            ["DOTNET_GCgen0size"] = "0x600000",
        };
        if (unlimitedPlatforms)
        {
            // The highest each setting allows: the fake has no limits in this mode, so the processes are the bottleneck.
            environment["NewsBot__Telegram__GlobalMessagesPerSecond"] = "1000";
            environment["NewsBot__Telegram__ChatBurst"] = "100";
            environment["NewsBot__Telegram__GroupMessagesPerMinute"] = "1000";
        }

        return environment;
    }

    public static string UserAgentOf(int slot) => string.Create(CultureInfo.InvariantCulture, $"NewsBot-proof/p{slot}");

    /// <summary>
    /// Migrates the database and adds, through NewsBot's stores: the channels of both platforms, every source, and one
    /// subscription per source on each platform (source s to channel s % Channels), with no hourly cap.
    /// </summary>
    public async Task SeedAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        using var host = NewsBotHost.CreateBuilder([], _folder, b =>
        {
            b.Configuration.Sources.Clear();
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["NewsBot:Database:Provider"] = "postgres",
                ["NewsBot:Database:ConnectionString"] = Database.ConnectionString,
                ["NewsBot:Console:Enabled"] = "off",
            });
            b.Logging.ClearProviders();
        }).Build();
        var services = host.Services;
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        var channels = services.GetRequiredService<IChannelStore>();
        var subscriptions = services.GetRequiredService<ISubscriptionStore>();
        var sources = services.GetRequiredService<ISourceStore>();
        var channelIds = new Dictionary<(Platform, int), long>();
        foreach (var (platform, externalId) in new (Platform, Func<int, string>)[] { (Platform.Discord, DiscordChannel), (Platform.Telegram, TelegramChat) })
        {
            for (var i = 0; i < _settings.Channels; i++)
            {
                var channel = await channels.GetOrAddAsync(platform, externalId(i), null, $"proof-{i}", null, cancellationToken);
                await channels.UpdateSettingsAsync(channel.Id, 1_000_000, null, null, "UTC", cancellationToken);
                channelIds[(platform, i)] = channel.Id;
            }
        }

        for (var feed = 0; feed < _settings.Sources; feed++)
        {
            var url = Feeds.FeedUrl(feed, FakeFeedServer.LoopbackHost(feed % _settings.Hosts));
            var (source, _) = await sources.AddAsync(url, $"Proof feed {feed}", FullTextMode.Never, fromConfig: false, SourceKind.Feed, cancellationToken);
            foreach (var platform in new[] { Platform.Discord, Platform.Telegram })
            {
                await subscriptions.UpsertAsync(new Subscription
                {
                    ChannelId = channelIds[(platform, ChannelOf(feed))],
                    Target = SubscriptionTarget.Source,
                    SourceId = source.Id,
                    RelatedCount = 0,
                }, cancellationToken);
            }
        }

        await progress.WriteLineAsync($"Seeded {_settings.Channels} channels per platform and {_settings.Sources} sources on {_settings.Hosts} hosts");
    }

    /// <summary>Sources polled at least once, successfully or not.</summary>
    public Task<long> CountPolledSourcesAsync(CancellationToken cancellationToken) =>
        ScalarAsync("SELECT count(*) FROM sources WHERE last_polled_at IS NOT NULL OR last_error IS NOT NULL", cancellationToken);

    public Task<long> CountPendingDeliveriesAsync(CancellationToken cancellationToken) =>
        ScalarAsync("SELECT count(*) FROM deliveries WHERE status = 'pending'", cancellationToken);

    /// <summary>Pending deliveries per platform (its stored name: discord, telegram); a platform with none is absent.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountPendingByPlatformAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT c.platform, count(*) FROM deliveries d JOIN channels c ON c.id = d.channel_id WHERE d.status = 'pending' GROUP BY c.platform", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        await Telegram.DisposeAsync();
        await Discord.DisposeAsync();
        await Feeds.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await Database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
