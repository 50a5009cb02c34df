using NewsBot.Model;

namespace NewsBot.Enrichment;

/// <summary>
/// One step that adds knowledge to a new article before it is stored. The contract between the ingest (Feeds runs the
/// steps) and the areas that implement them (Reading, Knowledge), which do not know each other. A failure leaves the
/// draft as it was.
/// </summary>
public interface IArticleEnricher
{
    /// <summary>Where this step runs in the enrichment sequence.</summary>
    EnrichmentStep Step { get; }

    Task EnrichAsync(ArticleDraft draft, CancellationToken cancellationToken);
}

/// <summary>
/// The enrichment of a new article, in the order it runs (whatever order the areas register their steps in): read the
/// article page (fuller text, the page's own date and picture), summarise that text, tag topics (from the text and the
/// summary), join the story of an earlier article (by its title and lead). Each step sees what the earlier ones added.
/// </summary>
public enum EnrichmentStep
{
    ReadPage = 1,
    Summarise = 2,
    TagTopics = 3,
    JoinStory = 4,
}
