using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Model;
using NewsBot.Runtime;
using NewsBot.Storage;

namespace NewsBot.Benchmarks.FanOut;

/// <summary>
/// Feeds a running host's outbox directly, as the feed poller would after a poll: subscribed channels, then articles
/// stored through <see cref="IArticleStore"/> (which plans one delivery per subscribed channel) and the dispatcher woken.
/// </summary>
public sealed class ProofOutbox(IServiceProvider services)
{
    private Source? _source;
    private int _articles;

    /// <summary>Channels subscribed to every article, with no hourly cap, so only the platform's limits pace the posts.</summary>
    public async Task AddChannelsAsync(Platform platform, IEnumerable<string> externalIds, CancellationToken cancellationToken)
    {
        var channels = services.GetRequiredService<IChannelStore>();
        var subscriptions = services.GetRequiredService<ISubscriptionStore>();
        foreach (var externalId in externalIds)
        {
            var channel = await channels.GetOrAddAsync(platform, externalId, null, "proof", null, cancellationToken);
            await channels.UpdateSettingsAsync(channel.Id, 1_000_000, null, null, "UTC", cancellationToken);
            await subscriptions.UpsertAsync(new Subscription { ChannelId = channel.Id, Target = SubscriptionTarget.All, RelatedCount = 0 }, cancellationToken);
        }
    }

    /// <summary>Stores <paramref name="count"/> new articles in one batch; returns the deliveries planned.</summary>
    public async Task<int> PublishAsync(int count, CancellationToken cancellationToken)
    {
        _source ??= (await services.GetRequiredService<ISourceStore>().AddAsync("https://proof.example/feed", "Proof wire", FullTextMode.Never, fromConfig: false, SourceKind.Feed, cancellationToken)).Source;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var drafts = new List<(ArticleDraft, IReadOnlyList<string>)>();
        for (var i = 0; i < count; i++)
        {
            var n = Interlocked.Increment(ref _articles).ToString(CultureInfo.InvariantCulture);
            drafts.Add((new ArticleDraft
            {
                Source = _source,
                DedupKey = "proof-" + n,
                Title = $"Proof story {n}",
                Url = "https://proof.example/news/" + n,
                Summary = "A summary of the length real ones have, so each post carries what a real post carries.",
                FirstSeenAt = now,
                PublishedAt = now,
            }, ["proof-" + n]));
        }

        var result = await services.GetRequiredService<IArticleStore>().IngestAsync(new IngestBatch(_source, drafts, []), services.GetRequiredService<IDeliveryPlanner>(), cancellationToken);
        services.GetRequiredService<DeliverySignal>().Notify();
        return result.DeliveriesPlanned;
    }
}
