using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Publishing;

/// <summary>
/// Which channel gets which article: of the subscriptions aimed at the article (its source, one of its topics, or
/// everything), those whose include/exclude filters pass. New articles are planned inside the ingest transaction (the
/// store asks <see cref="Recipients"/>); a backfill is chosen here and handed to the store to persist.
/// </summary>
public sealed class DeliveryPlanner(SubscriptionMatcher matcher, IArticleStore articles, ISubscriptionStore subscriptions, ITopicNormalizer topics) : IDeliveryPlanner
{
    /// <summary>How many candidates a subscription's backfill reads per article it may post, so that several sources get a turn.</summary>
    internal const int CandidatesPerPick = 10;

    public IEnumerable<Subscription> Recipients(Article article, IReadOnlyList<Subscription> candidates) =>
        candidates.Where(subscription => !subscription.Paused && matcher.Matches(subscription, article));

    public async Task<int> BackfillAsync(Subscription subscription, int count, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return 0;
        }

        var window = count * CandidatesPerPick;
        var candidates = subscription.Target switch
        {
            SubscriptionTarget.Source => await articles.LatestAsync(new ArticleQuery(window, SourceId: subscription.SourceId), cancellationToken),
            SubscriptionTarget.Topic => await articles.LatestAsync(new ArticleQuery(window, TopicKey: subscription.TopicKey), cancellationToken),
            _ => await articles.LatestAsync(new ArticleQuery(window), cancellationToken),
        };
        var picked = PickInTurns(candidates.Where(a => Recipients(a, [subscription]).Any()), count);
        return await articles.PlanDeliveriesAsync(picked.Select(a => new PlannedDelivery(subscription, a)).ToList(), cancellationToken);
    }

    /// <summary>
    /// One budget per channel, so a channel subscribed to thirty sources one by one (as the console is) gets no more
    /// than one subscribed to all; within a channel an article goes under the first (lowest id) subscription that takes it.
    /// </summary>
    public async Task<int> BackfillFirstReadsAsync(IReadOnlyList<Article> firstRead, int count, CancellationToken cancellationToken)
    {
        if (count <= 0 || firstRead.Count == 0)
        {
            return 0;
        }

        var active = await subscriptions.ListActiveForSourcesAsync(firstRead.Select(a => a.SourceId).Distinct().ToList(), cancellationToken);
        var topicKeys = firstRead.ToDictionary(a => a.Id, a => a.Topics.Select(t => topics.Normalize(t).Key).ToHashSet(StringComparer.Ordinal));
        var newestFirst = firstRead.OrderByDescending(a => a.SortTime).ThenByDescending(a => a.Id).ToList();
        var plans = new List<PlannedDelivery>();
        foreach (var channel in active.GroupBy(s => s.ChannelId))
        {
            var matched = newestFirst
                .Select(a => (Article: a, Subscription: channel.FirstOrDefault(s => Targets(s, a, topicKeys[a.Id]) && Recipients(a, [s]).Any())))
                .Where(x => x.Subscription is not null)
                .ToDictionary(x => x.Article, x => x.Subscription!);
            plans.AddRange(PickInTurns(matched.Keys, count).Select(a => new PlannedDelivery(matched[a], a)));
        }

        return await articles.PlanDeliveriesAsync(plans, cancellationToken);
    }

    /// <summary>
    /// Takes <paramref name="count"/> articles from a newest-first list in turns: the newest of each source (sources
    /// in the order of their newest article), then the second newest of each, and so on. Thirty new feeds give a
    /// channel one article from each of ten feeds, not ten from the first.
    /// </summary>
    internal static IReadOnlyList<Article> PickInTurns(IEnumerable<Article> newestFirst, int count)
    {
        var queues = newestFirst.GroupBy(a => a.SourceId).Select(g => new Queue<Article>(g)).ToList();
        var picked = new List<Article>(count);
        while (picked.Count < count && queues.Count > 0)
        {
            foreach (var queue in queues)
            {
                if (picked.Count == count)
                {
                    break;
                }

                picked.Add(queue.Dequeue());
            }

            queues.RemoveAll(q => q.Count == 0);
        }

        return picked;
    }

    private static bool Targets(Subscription subscription, Article article, HashSet<string> topicKeys) => subscription.Target switch
    {
        SubscriptionTarget.Source => subscription.SourceId == article.SourceId,
        SubscriptionTarget.Topic => subscription.TopicKey is { } key && topicKeys.Contains(key),
        _ => true,
    };
}
