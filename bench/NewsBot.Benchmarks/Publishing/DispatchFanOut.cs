using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NewsBot.Hosting;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;

namespace NewsBot.Benchmarks.Publishing;

/// <summary>
/// A fan-out for the dispatcher outside the test runner: the real services over a given database file (not started,
/// so nothing runs but what the caller drives), one fake platform, <c>channels × articles</c> pending deliveries.
/// Shared by the <c>dispatch</c> benchmark and the crash harness.
/// </summary>
public static class DispatchFanOut
{
    public static IHost BuildHost(string databasePath, IPlatformPublisher publisher, int maxConcurrentSends) =>
        NewsBotHost.CreateBuilder([], Path.GetDirectoryName(databasePath), b =>
        {
            b.Configuration.Sources.Clear();
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["NewsBot:Database"] = databasePath,
                ["NewsBot:Console:Enabled"] = "off",
                ["NewsBot:Publishing:MaxConcurrentSends"] = maxConcurrentSends.ToString(CultureInfo.InvariantCulture),
            });
            b.Logging.ClearProviders();
            b.Services.AddSingleton(publisher);
        }).Build();

    /// <summary>Creates the schema, <paramref name="channels"/> channels of the publisher's platform subscribed to everything
    /// (no hourly cap in the way), and <paramref name="articles"/> articles: one pending delivery per pair.</summary>
    public static async Task<int> SeedAsync(IServiceProvider services, Platform platform, int channels, int articles, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        var channelStore = services.GetRequiredService<IChannelStore>();
        var subscriptions = services.GetRequiredService<ISubscriptionStore>();
        for (var i = 1; i <= channels; i++)
        {
            var channel = await channelStore.GetOrAddAsync(platform, $"c{i}", null, null, null, cancellationToken);
            await channelStore.UpdateSettingsAsync(channel.Id, int.MaxValue, null, null, "UTC", cancellationToken);
            await subscriptions.UpsertAsync(new Subscription { ChannelId = channel.Id, Target = SubscriptionTarget.All }, cancellationToken);
        }

        var (source, _) = await services.GetRequiredService<ISourceStore>().AddAsync("https://fanout.example/feed", "Fan-out", FullTextMode.Never, fromConfig: false, SourceKind.Feed, cancellationToken);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var drafts = Enumerable.Range(1, articles).Select(i => ((ArticleDraft, IReadOnlyList<string>))(new ArticleDraft
        {
            Source = source,
            DedupKey = $"a{i}",
            Title = $"Article {i}",
            Url = $"https://fanout.example/{i}",
            Summary = "A summary long enough to look like one, so posts carry what real ones carry.",
            FirstSeenAt = now,
            PublishedAt = now.AddSeconds(-articles + i),
        }, [$"a{i}"])).ToList();
        var result = await services.GetRequiredService<IArticleStore>().IngestAsync(new IngestBatch(source, drafts, []), services.GetRequiredService<IDeliveryPlanner>(), cancellationToken);
        return result.DeliveriesPlanned;
    }

    /// <summary>Dispatches batch after batch until nothing due is left; returns the rows settled.</summary>
    public static async Task<int> DrainAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var dispatcher = services.GetRequiredService<DeliveryDispatcher>();
        var total = 0;
        int settled;
        while ((settled = await dispatcher.DispatchDueAsync(cancellationToken)) > 0)
        {
            total += settled;
        }

        return total;
    }
}
