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
}

/// <summary>
/// Many articles in one message: a backlog over the governor's cap, quiet hours, or a digest subscription.
/// <paramref name="More"/>, when set, is the last line: how many more there were and the command that shows them.
/// </summary>
public sealed record DigestPost(string Heading, IReadOnlyList<Post> Items, string? More = null);
