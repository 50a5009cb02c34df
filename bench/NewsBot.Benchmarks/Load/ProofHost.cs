using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NewsBot.Feeds;
using NewsBot.Feeds.Fetching;
using NewsBot.Hosting;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;
using NewsBot.Storage.Postgres;
using NewsBot.Storage.Sqlite;

namespace NewsBot.Benchmarks.Load;

/// <summary>
/// The real NewsBot host for load, fault and hostile-input runs: a temp database, the console off, sources on
/// <see cref="LoopbackNames"/> hosts allowed, and a <see cref="RecordingPublisher"/> in place of a chat platform.
/// </summary>
public sealed class ProofHost : IAsyncDisposable
{
    private readonly string _folder;

    private ProofHost(IHost host, string folder, RecordingPublisher publisher)
    {
        Host = host;
        _folder = folder;
        Publisher = publisher;
    }

    public const string NotCheckedOnPostgres = "not checked (PostgreSQL)";

    public IHost Host { get; }

    public RecordingPublisher Publisher { get; }

    public string DatabasePath => Path.Combine(_folder, "newsbot.db");

    public IServiceProvider Services => Host.Services;

    /// <summary>Builds the host (not started). <paramref name="settings"/> override the defaults below.</summary>
    public static ProofHost Build(IReadOnlyDictionary<string, string?> settings, double publishFaultRate = 0, Action<HostApplicationBuilder>? configure = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "newsbot-proof", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var publisher = new RecordingPublisher(Platform.Discord, TimeProvider.System, publishFaultRate);
        var builder = NewsBotHost.CreateBuilder([], folder, b =>
        {
            b.Configuration.Sources.Clear();
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["NewsBot:Database"] = Path.Combine(folder, "newsbot.db"),
                ["NewsBot:Console:Enabled"] = "off",
                ["NewsBot:Feeds:AllowPrivateAddresses"] = "true",
                ["NewsBot:Feeds:BackfillCount"] = "0",
                ["NewsBot:Publishing:RetryDelay"] = "00:00:00.100",
                ["NewsBot:Publishing:MaxRetryDelay"] = "00:00:02",
                ["NewsBot:Publishing:MaxAttempts"] = "100",
            });
            b.Configuration.AddInMemoryCollection(settings);
            b.Logging.ClearProviders();
            b.Services.AddSingleton<FeedNetwork, LoopbackNames>();
            // The recording platform stands in for Discord unless the run configures the real adapter.
            if (string.IsNullOrEmpty(settings.GetValueOrDefault("NewsBot:Discord:Token")))
            {
                b.Services.AddSingleton<IPlatformPublisher>(publisher);
            }

            configure?.Invoke(b);
        });
        return new ProofHost(builder.Build(), folder, publisher);
    }

    /// <summary>Channels on the recording platform, each subscribed to every article, with no hourly cap.</summary>
    public async Task SubscribeChannelsAsync(int count, CancellationToken cancellationToken)
    {
        var channels = Services.GetRequiredService<IChannelStore>();
        var subscriptions = Services.GetRequiredService<ISubscriptionStore>();
        for (var i = 0; i < count; i++)
        {
            var channel = await channels.GetOrAddAsync(Platform.Discord, (1000 + i).ToString(CultureInfo.InvariantCulture), null, $"load-{i}", null, cancellationToken);
            await channels.UpdateSettingsAsync(channel.Id, 1_000_000, null, null, "UTC", cancellationToken);
            await subscriptions.UpsertAsync(new Subscription { ChannelId = channel.Id, Target = SubscriptionTarget.All, RelatedCount = 0 }, cancellationToken);
        }
    }

    /// <summary>Adds feed sources through the store, as /source add would, then wakes the poller.</summary>
    public async Task<IReadOnlyList<Source>> AddSourcesAsync(IEnumerable<string> urls, CancellationToken cancellationToken)
    {
        var store = Services.GetRequiredService<ISourceStore>();
        var added = new List<Source>();
        foreach (var url in urls)
        {
            added.Add((await store.AddAsync(url, null, FullTextMode.Never, fromConfig: false, SourceKind.Feed, cancellationToken)).Source);
        }

        Services.GetRequiredService<PollSignal>().Notify();
        return added;
    }

    /// <summary>
    /// Sources polled at least once, successfully or not. One count on either engine: the harness asks twice a second,
    /// and listing every source through the store instead cost PostgreSQL's server 7 s of the load run.
    /// </summary>
    public Task<long> CountPolledSourcesAsync(CancellationToken cancellationToken) =>
        ScalarAsync("SELECT count(*) FROM sources WHERE last_polled_at IS NOT NULL OR last_error IS NOT NULL", cancellationToken);

    public Task<long> CountArticlesAsync(CancellationToken cancellationToken) =>
        Services.GetRequiredService<IArticleStore>().CountAsync(cancellationToken);

    public async Task<long> CountPendingDeliveriesAsync(CancellationToken cancellationToken) =>
        (await Services.GetRequiredService<IStorageMaintenance>().DescribeAsync(cancellationToken))["pending_deliveries"];

    /// <summary>
    /// PRAGMA integrity_check over its own connection: "ok" when the file is sound. On PostgreSQL, whose server keeps
    /// its files sound itself, "not checked (PostgreSQL)".
    /// </summary>
    public async Task<string> IntegrityCheckAsync(CancellationToken cancellationToken)
    {
        if (Services.GetService<SqliteConnectionFactory>() is null)
        {
            return NotCheckedOnPostgres;
        }

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) ?? "";
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Host.StopAsync(stopping.Token);
        Host.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a slow finaliser: the temp cleaner will take it.
        }
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using DbConnection connection = Services.GetService<SqliteConnectionFactory>() is { } sqlite
            ? await sqlite.OpenAsync(cancellationToken)
            : await Services.GetRequiredService<PgConnections>().OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
