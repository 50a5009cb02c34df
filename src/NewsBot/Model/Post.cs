namespace NewsBot.Model;

/// <summary>
/// A platform-neutral message about one article. Every string in it is untrusted feed text:
/// each adapter escapes it for its platform and fits it into the platform's limits.
/// </summary>
public sealed record Post
{
    public required string ShortId { get; init; }
    public required string Title { get; init; }
    public string? Url { get; init; }
    public required string SourceName { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public string? Summary { get; init; }
    public IReadOnlyList<string> Topics { get; init; } = [];
    public IReadOnlyList<RelatedLink> Related { get; init; } = [];
    /// <summary>Other sources that carried the same story.</summary>
    public IReadOnlyList<RelatedLink> AlsoCoveredBy { get; init; } = [];
    public string? ImageUrl { get; init; }
    public PostFormat Format { get; init; } = PostFormat.Full;
    public bool LinkPreview { get; init; } = true;
    public bool Silent { get; init; }
    public string? Author { get; init; }
    /// <summary>The subscription's layout, rendered by the adapter with feed values escaped for its platform.</summary>
    public PostTemplate? Template { get; init; }
    /// <summary>Discord roles to ping, and only these.</summary>
    public IReadOnlyList<ulong> MentionRoleIds { get; init; } = [];
    /// <summary>The article's language (ISO 639-1), when known.</summary>
    public string? Language { get; init; }
    /// <summary>The subscription's summary language: the title and summary are translated into it when a language model is configured.</summary>
    public string? SummaryLanguage { get; init; }
    /// <summary>The title as published, when <see cref="Title"/> is a translation; shown beside it.</summary>
    public string? OriginalTitle { get; init; }
    /// <summary>The subscription this post is for, so a template that fails at post time can be reported on it.</summary>
    public long? SubscriptionId { get; init; }
}

/// <summary>
/// Many articles in one message: a backlog over the governor's cap, quiet hours, or a digest subscription.
/// <paramref name="More"/>, when set, is the last line: how many more there were and the command that shows them.
/// </summary>
public sealed record DigestPost(string Heading, IReadOnlyList<Post> Items, string? More = null);
