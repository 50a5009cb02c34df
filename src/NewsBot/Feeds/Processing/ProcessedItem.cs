namespace NewsBot.Feeds.Processing;

/// <summary>A feed item made ready for storage: identity keys, canonical URL, plain text, UTC dates.</summary>
public sealed record ProcessedItem
{
    /// <summary>
    /// Identity keys, strongest first ("guid:…", "url:…", "hash:…"). The first is the article's dedup key;
    /// an item matching any stored key of its source is the same article.
    /// </summary>
    public required IReadOnlyList<string> Keys { get; init; }
    public string? Url { get; init; }
    public required string Title { get; init; }
    public string? Author { get; init; }
    public string? Teaser { get; init; }
    public string? ContentHtml { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
    public string? Language { get; init; }
    public string? ImageUrl { get; init; }
}
