using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Knowledge;

/// <summary>
/// The stories of the last two days, prepared once for comparison and kept up to date incrementally (only
/// articles stored since the last look are read), so checking a new article costs comparisons, not queries.
/// </summary>
public sealed class RecentStories(ArticleStore articles, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(48);
    private const int MaxCandidates = 3000;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly LinkedList<(long SourceId, DateTimeOffset SeenAt, StoryShape Shape)> _recent = new();
    private long _lastId;

    /// <summary>The story id an earlier article of another source shares with this draft, or null.</summary>
    public async Task<long?> FindAsync(ArticleDraft draft, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var since = time.GetUtcNow() - Window;
            var fresh = await articles.RecentForStoryAsync(_lastId, since, MaxCandidates, cancellationToken);
            foreach (var peer in fresh.OrderBy(p => p.Id))
            {
                _recent.AddFirst((peer.SourceId, peer.FirstSeenAt, StoryFingerprint.Prepare(peer.StoryId, peer.Title, StoryFingerprint.Lead(peer.Lead), peer.Fingerprint)));
                _lastId = Math.Max(_lastId, peer.Id);
            }

            while (_recent.Count > 0 && (_recent.Count > MaxCandidates || _recent.Last!.Value.SeenAt < since))
            {
                _recent.RemoveLast();
            }

            return StoryFingerprint.FindSameStory(
                draft.Title,
                StoryFingerprint.Lead(draft.Text ?? draft.Teaser),
                _recent.Where(entry => entry.SourceId != draft.Source.Id).Select(entry => entry.Shape));
        }
        finally
        {
            _lock.Release();
        }
    }
}
