using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Publishing;

/// <summary>
/// Which channel gets which article: of the subscriptions aimed at the article (its source, one of its topics, or
/// everything), those whose include/exclude filters pass. The store persists the plan in the ingest transaction.
/// </summary>
public sealed class DeliveryPlanner(SubscriptionMatcher matcher) : IDeliveryPlanner
{
    public IEnumerable<Subscription> Recipients(Article article, IReadOnlyList<Subscription> candidates) =>
        candidates.Where(subscription => !subscription.Paused && matcher.Matches(subscription, article));
}
