namespace NewsBot.Model;

/// <summary>
/// A new article on its way from a feed item to the store. Enrichers (reading, summarising, tagging,
/// story detection) fill it in, in the order of the enrichment sequence, before it is stored in one transaction.
/// </summary>
public sealed class ArticleDraft
{
    public required Source Source { get; init; }
    public required string DedupKey { get; init; }
    public string? Url { get; set; }
    public required string Title { get; set; }
    public string? Author { get; set; }
    public string? Teaser { get; set; }
    /// <summary>Full content HTML from the feed, when it carried any.</summary>
    public string? ContentHtml { get; set; }
    /// <summary>Plain-text body, paragraphs separated by a blank line.</summary>
    public string? Text { get; set; }
    public string? Summary { get; set; }
    public string? Language { get; set; }
    public string? ImageUrl { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public DateTimeOffset FirstSeenAt { get; init; }
    /// <summary>Categories as the feed gave them.</summary>
    public List<string> Categories { get; } = [];
    /// <summary>Topic names with where they came from; normalised when stored.</summary>
    public List<TopicTag> Topics { get; } = [];
    public List<RelatedLink> Related { get; } = [];
    /// <summary>Set by story detection when an earlier stored article tells the same story.</summary>
    public long? SameStoryAs { get; set; }
    /// <summary>Near-duplicate fingerprint of title and lead (SimHash), stored for later comparisons.</summary>
    public long? Fingerprint { get; set; }

    /// <summary>The article this draft became once a store gave it an id and normalised its topics.</summary>
    public Article Stored(long id, IReadOnlyList<string> topicNames) => new()
    {
        Id = id,
        SourceId = Source.Id,
        DedupKey = DedupKey,
        Url = Url,
        Title = Title,
        Author = Author,
        Teaser = Teaser,
        Text = Text,
        Summary = Summary,
        Language = Language,
        ImageUrl = ImageUrl,
        PublishedAt = PublishedAt,
        UpdatedAt = UpdatedAt,
        FirstSeenAt = FirstSeenAt,
        StoryId = SameStoryAs ?? id,
        Categories = Categories.ToList(),
        Topics = topicNames,
    };
}

/// <summary>Where a topic of an article came from.</summary>
public enum TopicOrigin
{
    Category,
    PageTag,
    Rule,
    Keyphrase,
}

public sealed record TopicTag(string Name, TopicOrigin Origin, double Weight = 1.0);
