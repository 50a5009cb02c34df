using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Knowledge;

/// <summary>
/// The stories of the last two days, prepared once for comparison and kept up to date incrementally (only
/// articles stored since the last look are read), so checking a new article costs comparisons, not queries.
/// An index from content word to stories keeps those comparisons to the few stories that share words with
/// the new article: comparing each new article with all of them was most of ingestion's CPU time.
/// </summary>
public sealed class RecentStories(IArticleStore articles, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(48);
    private const int MaxCandidates = 3000;
    private readonly SemaphoreSlim _lock = new(1, 1);
    // Oldest first, in id order; each word's list is in the same order, so expiry takes from the front of both.
    private readonly Queue<Story> _recent = new();
    private readonly Dictionary<string, Queue<Story>> _byWord = new(StringComparer.Ordinal);
    private long _lastId;
    // Numbers each lookup, so shared-word counts left on stories by earlier lookups need no clearing.
    private long _pass;

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
            // Only the stories that pass a test go to the full comparison, which picks among them as it always did.
            var candidates = Candidates(shape, draft.Source.Id);
            return candidates.Count == 0 ? null : StoryFingerprint.FindSameStory(draft.Title, lead, candidates);
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

    /// <summary>
    /// Stories of other sources that pass one of <see cref="StoryFingerprint"/>'s tests, newest first: a near-duplicate
    /// fingerprint, or enough shared content words (counted through the word index, so the Jaccard ratio is exact).
    /// </summary>
    private List<StoryShape> Candidates(StoryShape draft, long sourceId)
    {
        _pass++;
        foreach (var word in draft.Words)
        {
            if (_byWord.TryGetValue(word, out var stories))
            {
                foreach (var story in stories)
                {
                    story.SharedWords = story.Pass == _pass ? story.SharedWords + 1 : 1;
                    story.Pass = _pass;
                }
            }
        }

        var candidates = new List<StoryShape>();
        foreach (var story in _recent)
        {
            if (story.SourceId != sourceId && (SharesEnoughWords(draft, story) || IsNearDuplicate(draft, story)))
            {
                candidates.Add(story.Shape);
            }
        }

        candidates.Reverse();
        return candidates;
    }

    private bool SharesEnoughWords(StoryShape draft, Story story)
    {
        if (story.Pass != _pass || story.SharedWords < StoryFingerprint.MinSharedTerms)
        {
            return false;
        }

        var union = draft.Words.Count + story.Shape.Words.Count - story.SharedWords;
        return (double)story.SharedWords / union >= StoryFingerprint.SameStoryThreshold;
    }

    // 0 is the fingerprint of a text without content words: it says nothing.
    private static bool IsNearDuplicate(StoryShape draft, Story story) =>
        draft.Fingerprint is { } fingerprint and not 0
        && story.Shape.Fingerprint is { } other and not 0
        && StoryFingerprint.IsNearDuplicate(fingerprint, other);

    private sealed class Story(long sourceId, DateTimeOffset seenAt, StoryShape shape)
    {
        public long SourceId { get; } = sourceId;
        public DateTimeOffset SeenAt { get; } = seenAt;
        public StoryShape Shape { get; } = shape;

        /// <summary>Content words shared with the draft of lookup <see cref="Pass"/> (counts of older lookups are stale).</summary>
        public int SharedWords { get; set; }
        public long Pass { get; set; }
    }
}
