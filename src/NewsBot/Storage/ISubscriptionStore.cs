using NewsBot.Model;

namespace NewsBot.Storage;

/// <summary>Subscriptions of channels to sources, topics or everything.</summary>
public interface ISubscriptionStore
{
    /// <summary>Adds or replaces the channel's subscription to that target. Returns it and whether it is new.</summary>
    Task<(Subscription Subscription, bool Created)> UpsertAsync(Subscription subscription, CancellationToken cancellationToken);

    Task<Subscription?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Subscriptions by id for a batch of deliveries, in one query.</summary>
    Task<IReadOnlyDictionary<long, Subscription>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    Task<IReadOnlyList<Subscription>> ListForChannelAsync(long channelId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Subscription>> ListForSourceAsync(long sourceId, CancellationToken cancellationToken);

    /// <summary>
    /// The subscriptions that are not paused and could take an article of one of these sources: to one of the sources,
    /// to a topic, or to everything; by id.
    /// </summary>
    Task<IReadOnlyList<Subscription>> ListActiveForSourcesAsync(IReadOnlyCollection<long> sourceIds, CancellationToken cancellationToken);

    Task<bool> RemoveAsync(long channelId, string targetKey, CancellationToken cancellationToken);

    /// <summary>Pauses every subscription of a channel (channel gone, bot removed, no permission) and keeps the reason.</summary>
    Task<int> PauseChannelAsync(long channelId, string reason, CancellationToken cancellationToken);

    Task<int> ResumeChannelAsync(long channelId, CancellationToken cancellationToken);
}
