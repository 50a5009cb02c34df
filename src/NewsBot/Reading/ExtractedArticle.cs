using NewsBot.Model;

namespace NewsBot.Reading;

/// <summary>What <see cref="ArticleExtractor"/> found on one article page. URLs are absolute.</summary>
public sealed record ExtractedArticle
{
    public string? Title { get; init; }
    public string? Byline { get; init; }
    /// <summary>Publication time in UTC.</summary>
    public DateTimeOffset? Published { get; init; }
    public string? ImageUrl { get; init; }
    /// <summary>Language tag such as "en" or "pt-BR".</summary>
    public string? Language { get; init; }
    public string? CanonicalUrl { get; init; }
    /// <summary>The main text: paragraphs, headings and list items of the article, each once.</summary>
    public IReadOnlyList<string> Paragraphs { get; init; } = [];
    public IReadOnlyList<RelatedLink> Related { get; init; } = [];
    /// <summary>Tag and topic names from the page's tag links and its keyword metadata.</summary>
    public IReadOnlyList<string> TopicCandidates { get; init; } = [];

    /// <summary>Paragraphs separated by a blank line.</summary>
    public string Text => string.Join("\n\n", Paragraphs);
}
