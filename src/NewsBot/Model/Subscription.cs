namespace NewsBot.Model;

public enum SubscriptionTarget
{
    Source,
    Topic,
    All,
}

public enum PostFormat
{
    Full,
    Compact,
}

public enum DigestMode
{
    Off,
    Hourly,
    Daily,
}

/// <summary>A channel's wish to receive articles of a source, of a topic, or of everything.</summary>
public sealed record Subscription
{
    public long Id { get; init; }
    public long ChannelId { get; init; }
    public SubscriptionTarget Target { get; init; }
    public long? SourceId { get; init; }
    /// <summary>Normalised topic key when <see cref="Target"/> is Topic.</summary>
    public string? TopicKey { get; init; }
    /// <summary>Words or /regexes/; an article must match one of them (when any are given).</summary>
    public IReadOnlyList<string> Include { get; init; } = [];
    /// <summary>Words or /regexes/; an article matching one of them is skipped.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];
    public bool ShowSummary { get; init; } = true;
    public int RelatedCount { get; init; } = 3;
    public PostFormat Format { get; init; } = PostFormat.Full;
    public DigestMode Digest { get; init; } = DigestMode.Off;
    public bool LinkPreview { get; init; } = true;
    /// <summary>Telegram: deliver without a notification sound. Discord: SUPPRESS_NOTIFICATIONS.</summary>
    public bool Silent { get; init; }
    /// <summary>The subscription's own layout; null uses the built-in full or compact layout.</summary>
    public PostTemplate? Template { get; init; }
    /// <summary>Discord role ids each post pings; allowed_mentions names exactly these and nothing else. Empty: no ping.</summary>
    public IReadOnlyList<ulong> MentionRoleIds { get; init; } = [];
    /// <summary>A culture name (de, pt-BR, it) the posts' summaries are translated into with the language model; null keeps the article's language.</summary>
    public string? SummaryLanguage { get; init; }
    public bool Paused { get; init; }
    public string? PausedReason { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The UNIQUE key of a subscription inside its channel: "source:12", "topic:ai", "all".</summary>
    public string TargetKey => Target switch
    {
        SubscriptionTarget.Source => $"source:{SourceId}",
        SubscriptionTarget.Topic => $"topic:{TopicKey}",
        _ => "all",
    };
}
