using NewsBot.Model;

namespace NewsBot.Storage;

/// <summary>The delivery outbox: pending deliveries and what became of them.</summary>
public interface IDeliveryStore
{
    /// <summary>The oldest due rows of one platform's channels (each platform drains at its own pace), with their channel.</summary>
    Task<IReadOnlyList<(Delivery Delivery, Channel Channel)>> ListDueAsync(Platform platform, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    Task<DateTimeOffset?> NextDueAsync(Platform platform, CancellationToken cancellationToken);

    Task<long> CountPendingAsync(CancellationToken cancellationToken);

    /// <summary>Posts (single or digest) each channel received since a time, the governor's count; one query for a batch's channels.</summary>
    Task<IReadOnlyDictionary<long, int>> CountPostsSinceAsync(IReadOnlyCollection<long> channelIds, DateTimeOffset since, CancellationToken cancellationToken);

    Task MarkSentAsync(IReadOnlyList<long> ids, DeliveryStatus status, string messageId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// A recorder with the "sent" update prepared once, for the dispatcher's hot path: still one commit per delivery,
    /// without opening a connection and parsing SQL for each. Not thread-safe; the caller serialises its use.
    /// </summary>
    Task<ISentRecorder> OpenSentRecorderAsync(CancellationToken cancellationToken);

    Task MarkRetryAsync(IReadOnlyList<long> ids, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken);

    /// <summary>Holds deliveries back without counting an attempt (governor, quiet hours, digest schedule).</summary>
    Task PostponeAsync(IReadOnlyList<long> ids, DateTimeOffset until, CancellationToken cancellationToken);

    Task MarkFailedAsync(IReadOnlyList<long> ids, string error, CancellationToken cancellationToken);

    /// <summary>Fails every pending delivery of a channel whose subscriptions were paused, so the outbox does not keep them forever.</summary>
    Task<int> FailPendingForChannelAsync(long channelId, string error, CancellationToken cancellationToken);

    Task<IReadOnlyList<Delivery>> ListForChannelAsync(long channelId, CancellationToken cancellationToken);
}

/// <summary>Marks one delivery sent per call, each its own commit.</summary>
public interface ISentRecorder : IAsyncDisposable
{
    Task MarkSentAsync(long id, string messageId, DateTimeOffset now, CancellationToken cancellationToken);
}
