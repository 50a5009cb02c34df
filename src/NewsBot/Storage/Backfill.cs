using NewsBot.Model;

namespace NewsBot.Storage;

/// <summary>Which stored articles a backfill posts: fair across sources, newest first.</summary>
public static class Backfill
{
    /// <summary>How many candidates a subscription's backfill reads per article it may post, so that several sources get a turn.</summary>
    public const int CandidatesPerPick = 10;

    /// <summary>
    /// Takes <paramref name="count"/> articles from a newest-first list in turns: the newest of each source (sources
    /// in the order of their newest article), then the second newest of each, and so on. Thirty new feeds give a
    /// channel one article from each of ten feeds, not ten from the first.
    /// </summary>
    public static IReadOnlyList<Article> Pick(IEnumerable<Article> newestFirst, int count)
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

    /// <summary>
    /// What one new subscription is given: the newest <paramref name="count"/> of <paramref name="newestFirst"/> that
    /// the planner lets through, taken in turn from each source.
    /// </summary>
    public static IEnumerable<(Subscription Subscription, Article Article)> ForSubscription(
        Subscription subscription, IEnumerable<Article> newestFirst, int count, IDeliveryPlanner planner) =>
        Pick(newestFirst.Where(a => planner.Recipients(a, [subscription]).Any()), count).Select(a => (subscription, a));

    /// <summary>
    /// What sources read for the first time (one polling round's, together) give each channel: at most
    /// <paramref name="count"/> of them, the newest taken in turn from each source — one budget per channel, so a channel
    /// subscribed to thirty sources one by one (as the console is) gets no more than one subscribed to all.
    /// </summary>
    /// <param name="subscriptions">The active subscriptions to those sources or to no source (topics, everything), by id.</param>
    public static List<(Subscription Subscription, Article Article)> ForNewSources(
        IReadOnlyList<Article> firstRead, IReadOnlyList<Subscription> subscriptions, int count, IDeliveryPlanner planner, ITopicNormalizer topics)
    {
        var topicKeys = firstRead.ToDictionary(a => a.Id, a => a.Topics.Select(t => topics.Normalize(t).Key).ToHashSet(StringComparer.Ordinal));
        var newestFirst = firstRead.OrderByDescending(a => a.SortTime).ThenByDescending(a => a.Id).ToList();
        var plans = new List<(Subscription, Article)>();
        foreach (var channel in subscriptions.GroupBy(s => s.ChannelId))
        {
            var matched = newestFirst
                .Select(a => (Article: a, Subscription: channel.FirstOrDefault(s => Targets(s, a, topicKeys[a.Id]) && planner.Recipients(a, [s]).Any())))
                .Where(x => x.Subscription is not null)
                .ToDictionary(x => x.Article, x => x.Subscription!);
            plans.AddRange(Pick(matched.Keys, count).Select(a => (matched[a], a)));
        }

        return plans;
    }

    /// <summary>The candidates a backfill of one subscription reads: <see cref="CandidatesPerPick"/> per article it may post.</summary>
    public static ArticleQuery Candidates(Subscription subscription, int count)
    {
        var window = count * CandidatesPerPick;
        return subscription.Target switch
        {
            SubscriptionTarget.Source => new ArticleQuery(window, SourceId: subscription.SourceId),
            SubscriptionTarget.Topic => new ArticleQuery(window, TopicKey: subscription.TopicKey),
            _ => new ArticleQuery(window),
        };
    }

    private static bool Targets(Subscription subscription, Article article, HashSet<string> topicKeys) => subscription.Target switch
    {
        SubscriptionTarget.Source => subscription.SourceId == article.SourceId,
        SubscriptionTarget.Topic => subscription.TopicKey is { } key && topicKeys.Contains(key),
        _ => true,
    };
}
