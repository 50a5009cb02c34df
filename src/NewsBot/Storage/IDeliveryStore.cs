using NewsBot.Model;

namespace NewsBot.Storage;

/// <summary>
/// A claim request: <paramref name="Owner"/> (this process, <c>Runtime.ProcessIdentity.Id</c>) takes channels until
/// <paramref name="Until"/>. Another owner's claim stands while its lease runs (until after <paramref name="Now"/>) and
/// its owner is among <paramref name="LiveOwners"/>, the processes the cluster sees alive.
/// </summary>
public sealed record DeliveryClaim(string Owner, DateTimeOffset Now, DateTimeOffset Until, IReadOnlyCollection<string> LiveOwners);

/// <summary>
/// The delivery outbox: pending deliveries and what became of them. A process sends only what it claimed: it claims the
/// due rows of whole channels (one channel is served by one process at a time), and every update of a row's state is
/// fenced by that claim (<c>owner</c>): a process whose claim was taken over changes nothing.
/// </summary>
public interface IDeliveryStore
{
    /// <summary>
    /// Claims the oldest due rows of one platform's free channels for <see cref="DeliveryClaim.Owner"/>, at most
    /// <paramref name="limit"/> rows, with their channel. A channel is free when nobody holds it, its lease ran out, or
    /// its holder is another owner no longer alive; a channel the owner already holds is not claimed again.
    /// </summary>
    Task<IReadOnlyList<(Delivery Delivery, Channel Channel)>> ClaimDueAsync(Platform platform, DeliveryClaim claim, int limit, CancellationToken cancellationToken);

    /// <summary>When the first row of the platform the owner could claim is due (a channel held by another counts from the end of its lease).</summary>
    Task<DateTimeOffset?> NextDueAsync(Platform platform, DeliveryClaim claim, CancellationToken cancellationToken);

    /// <summary>Extends the owner's claims on these channels until a time.</summary>
    Task RenewClaimsAsync(string owner, IReadOnlyCollection<long> channelIds, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Gives back the owner's claims on these channels, or all of them (null).</summary>
    Task ReleaseClaimsAsync(string owner, IReadOnlyCollection<long>? channelIds, CancellationToken cancellationToken);

    Task<long> CountPendingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// When each channel's posts since a time went out (a digest once, by its message), oldest first; one query for a
    /// round's channels. The governor counts them, and a channel's rate continues from them whichever process sent them.
    /// </summary>
    Task<ILookup<long, DateTimeOffset>> RecentPostsAsync(IReadOnlyCollection<long> channelIds, DateTimeOffset since, CancellationToken cancellationToken);

    Task MarkSentAsync(string owner, IReadOnlyList<long> ids, DeliveryStatus status, string messageId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// A recorder with the "sent" update prepared once, for the dispatcher's hot path: still one commit per delivery,
    /// without opening a connection and parsing SQL for each. Not thread-safe; the caller serialises its use.
    /// </summary>
    Task<ISentRecorder> OpenSentRecorderAsync(string owner, CancellationToken cancellationToken);

    Task MarkRetryAsync(string owner, IReadOnlyList<long> ids, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken);

    /// <summary>Holds deliveries back without counting an attempt (governor, quiet hours, digest schedule).</summary>
    Task PostponeAsync(string owner, IReadOnlyList<long> ids, DateTimeOffset until, CancellationToken cancellationToken);

    Task MarkFailedAsync(string owner, IReadOnlyList<long> ids, string error, CancellationToken cancellationToken);

    /// <summary>Fails every pending delivery of a channel whose subscriptions were paused, so the outbox does not keep them forever.</summary>
    Task<int> FailPendingForChannelAsync(string owner, long channelId, string error, CancellationToken cancellationToken);

    Task<IReadOnlyList<Delivery>> ListForChannelAsync(long channelId, CancellationToken cancellationToken);
}

/// <summary>Marks one delivery sent per call, each its own commit.</summary>
public interface ISentRecorder : IAsyncDisposable
{
    Task MarkSentAsync(long id, string messageId, DateTimeOffset now, CancellationToken cancellationToken);
}
