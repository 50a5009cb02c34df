using NewsBot.Model;

namespace NewsBot.Publishing;

/// <summary>
/// A platform adapter's sending side. Implementations render within the platform's limits, escape all feed text,
/// and turn every expected failure into a <see cref="PublishResult"/> (never an exception).
/// </summary>
public interface IPlatformPublisher
{
    Platform Platform { get; }

    /// <summary>The rate of all sends together (the bot's global limit), which the dispatcher keeps to so the platform never has to answer 429; null for none.</summary>
    RateLimit? GlobalLimit { get; }

    /// <summary>The rate one channel may be posted to, as the platform counts it for that kind of channel; null for none.</summary>
    RateLimit? ChannelLimit(Channel channel);

    /// <param name="idempotencyKey">Stable per delivery; platforms that support it (Discord nonce) drop a re-sent duplicate.</param>
    Task<PublishResult> PublishAsync(Channel channel, Post post, string idempotencyKey, CancellationToken cancellationToken);

    Task<PublishResult> PublishDigestAsync(Channel channel, DigestPost digest, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>A short notice to the channel (for its admins): a source was disabled, a subscription paused.</summary>
    Task<PublishResult> NotifyAsync(Channel channel, string text, CancellationToken cancellationToken);
}

/// <summary>At most <paramref name="Count"/> messages per <paramref name="Period"/>.</summary>
public sealed record RateLimit(int Count, TimeSpan Period)
{
    /// <summary>
    /// One process's part of a budget that <paramref name="processes"/> processes share equally, so that together they
    /// stay within it: the count divided, rounded down (50/s for 3 is 16/s each); with more processes than the count,
    /// one message per a period long enough that all of them average within the budget.
    /// </summary>
    public RateLimit ShareOf(int processes) =>
        processes <= 1 ? this
        : Count >= processes ? this with { Count = Count / processes }
        : new RateLimit(1, Period * Math.Ceiling((double)processes / Count));
}

public enum PublishOutcome
{
    Sent,
    /// <summary>Try again later (network, 5xx, 429): <see cref="PublishResult.RetryAfter"/> when the platform said.</summary>
    Retry,
    /// <summary>The channel cannot receive posts (gone, bot removed, no permission): its subscriptions pause.</summary>
    Permanent,
    /// <summary>The channel has a new id (Telegram group → supergroup): store it and send again.</summary>
    Moved,
    /// <summary>The platform refused this one message (bad markup, too long): it fails for good, the channel stays active.</summary>
    Failed,
}

public sealed record PublishResult(PublishOutcome Outcome, string? MessageId = null, string? Reason = null, TimeSpan? RetryAfter = null, string? NewExternalId = null)
{
    public static PublishResult Sent(string messageId) => new(PublishOutcome.Sent, MessageId: messageId);

    public static PublishResult Retry(string reason, TimeSpan? retryAfter = null) => new(PublishOutcome.Retry, Reason: reason, RetryAfter: retryAfter);

    public static PublishResult Permanent(string reason) => new(PublishOutcome.Permanent, Reason: reason);

    public static PublishResult Failed(string reason) => new(PublishOutcome.Failed, Reason: reason);

    public static PublishResult Moved(string newExternalId) => new(PublishOutcome.Moved, NewExternalId: newExternalId, Reason: "moved");
}
