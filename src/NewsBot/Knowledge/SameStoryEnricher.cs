using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Knowledge;

/// <summary>
/// Marks a new article as a repeat of a story another source already told (title and lead fingerprints), so each
/// channel gets the story once and later sources show as "also covered by". Scoped to one refresh: the recent
/// archive is read once per refresh, not once per article.
/// </summary>
public sealed class SameStoryEnricher(ArticleStore articles, TimeProvider time) : IArticleEnricher
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(48);
    private const int MaxCandidates = 3000;
    private List<StoryPeer>? _recent;

    public async Task EnrichAsync(ArticleDraft draft, CancellationToken cancellationToken)
    {
        _recent ??= (await articles.RecentForStoryAsync(draft.Source.Id, time.GetUtcNow() - Window, MaxCandidates, cancellationToken)).ToList();
        var match = StoryFingerprint.FindSameStory(
            draft.Title,
            StoryFingerprint.Lead(draft.Text ?? draft.Teaser),
            _recent.Select(peer => new StoryCandidate(peer.StoryId, peer.Title, StoryFingerprint.Lead(peer.Lead), peer.Fingerprint)));
        if (match is { } storyId)
        {
            draft.SameStoryAs = storyId;
        }
    }
}
