namespace NewsBot.Model;

public enum DeliveryStatus
{
    /// <summary>Waiting in the outbox.</summary>
    Pending,
    /// <summary>The platform accepted it; <see cref="Delivery.PlatformMessageId"/> is set.</summary>
    Sent,
    /// <summary>Gave up: permanent failure or too many attempts; <see cref="Delivery.LastError"/> says why.</summary>
    Failed,
    /// <summary>Folded into a digest message instead of its own post.</summary>
    Digested,
}

/// <summary>One article for one channel: a row of the outbox.</summary>
public sealed record Delivery
{
    public long Id { get; init; }
    public long ChannelId { get; init; }
    public long ArticleId { get; init; }
    public long? SubscriptionId { get; init; }
    public DeliveryStatus Status { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public string? PlatformMessageId { get; init; }
    public string? LastError { get; init; }

    /// <summary>Idempotency key sent with the post where the platform supports one (Discord nonce, ≤ 25 chars).</summary>
    public string Nonce => $"nb{Id}";
}
