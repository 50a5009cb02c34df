using NewsBot.Enrichment;
using NewsBot.Model;

namespace NewsBot.Knowledge;

/// <summary>
/// Marks a new article as a repeat of a story another source already told (title and lead fingerprints, shared
/// content words), so each channel gets the story once and later sources show as "also covered by".
/// </summary>
public sealed class SameStoryEnricher(RecentStories recent) : IArticleEnricher
{
    public EnrichmentStep Step => EnrichmentStep.JoinStory;

    public async Task EnrichAsync(ArticleDraft draft, CancellationToken cancellationToken)
    {
        if (await recent.FindAsync(draft, cancellationToken) is { } storyId)
        {
            draft.SameStoryAs = storyId;
        }
    }
}
