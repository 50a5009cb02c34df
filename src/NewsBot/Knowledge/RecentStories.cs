using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Knowledge;

/// <summary>
/// The stories of the last two days, prepared once for comparison and kept up to date incrementally (only
/// articles stored since the last look are read), so checking a new article costs comparisons, not queries.
/// An index from content word to stories keeps those comparisons to the few stories that share words with
/// the new article: comparing each new article with all of them was most of ingestion's CPU time.
/// </summary>
public sealed class RecentStories(ArticleStore articles, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(48);
    private const int MaxCandidates = 3000;
    private readonly SemaphoreSlim _lock = new(1, 1);
    // Oldest first, in id order; each word's list is in the same order, so expiry takes from the front of both.
    private readonly Queue<Story> _recent = new();
    private readonly Dictionary<string, Queue<Story>> _byWord = new(StringComparer.Ordinal);
    private long _lastId;

    /// <summary>The story id an earlier article of another source shares with this draft, or null.</summary>
    public async Task<long?> FindAsync(ArticleDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var lead = StoryFingerprint.Lead(draft.Text ?? draft.Teaser);
        var shape = StoryFingerprint.Prepare(0, draft.Title, lead, StoryFingerprint.Compute(draft.Title, lead));
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var since = time.GetUtcNow() - Window;
            await ReadNewAsync(since, cancellationToken);
            Expire(since);
            // Only stories that could pass either test are handed to the full comparison, newest first as before.
            return StoryFingerprint.FindSameStory(draft.Title, lead, Candidates(shape, draft.Source.Id));
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task ReadNewAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var fresh = await articles.RecentForStoryAsync(_lastId, since, MaxCandidates, cancellationToken);
        foreach (var peer in fresh.OrderBy(p => p.Id))
        {
            var story = new Story(peer.SourceId, peer.FirstSeenAt, StoryFingerprint.Prepare(peer.StoryId, peer.Title, StoryFingerprint.Lead(peer.Lead), peer.Fingerprint));
            _recent.Enqueue(story);
            foreach (var word in story.Shape.Words)
            {
                if (!_byWord.TryGetValue(word, out var stories))
                {
                    _byWord[word] = stories = new Queue<Story>();
                }

                stories.Enqueue(story);
            }

            _lastId = Math.Max(_lastId, peer.Id);
        }
    }

    private void Expire(DateTimeOffset since)
    {
        while (_recent.Count > 0 && (_recent.Count > MaxCandidates || _recent.Peek().SeenAt < since))
        {
            var story = _recent.Dequeue();
            foreach (var word in story.Shape.Words)
            {
                var stories = _byWord[word];
                stories.Dequeue();
                if (stories.Count == 0)
                {
                    _byWord.Remove(word);
                }
            }
        }
    }

    /// <summary>Stories of other sources with a near-duplicate fingerprint or enough shared words to be the same story.</summary>
    private List<StoryShape> Candidates(StoryShape draft, long sourceId)
    {
        var shared = new Dictionary<Story, int>(ReferenceEqualityComparer.Instance);
        foreach (var word in draft.Words)
        {
            if (_byWord.TryGetValue(word, out var stories))
            {
                foreach (var story in stories)
                {
                    shared[story] = shared.GetValueOrDefault(story) + 1;
                }
            }
        }

        var candidates = new List<Story>();
        foreach (var story in _recent)
        {
            if (story.SourceId != sourceId
                && (shared.GetValueOrDefault(story) >= StoryFingerprint.MinSharedTerms
                    || (draft.Fingerprint is { } fingerprint && story.Shape.Fingerprint is { } other && StoryFingerprint.IsNearDuplicate(fingerprint, other))))
            {
                candidates.Add(story);
            }
        }

        candidates.Reverse();
        return candidates.ConvertAll(story => story.Shape);
    }

    private sealed record Story(long SourceId, DateTimeOffset SeenAt, StoryShape Shape);
}
