namespace NewsBot.Knowledge;

/// <summary>Articles of one topic in the recent window and in the baseline window before it.</summary>
public sealed record TopicWindowCount(string Key, int Recent, int Baseline);

/// <summary>A trending topic: its counts, how many times its share grew (lift), and the ranking score.</summary>
public sealed record TrendingTopic(string Key, int Recent, int Baseline, double Lift, double Score);

/// <summary>
/// Ranks topics by how far their share of recent articles exceeds their share of the baseline. Shares are
/// smoothed (add-α over all topics) so a topic new to the archive has a finite lift, and the score is the
/// binomial z-score of the recent count against the baseline share: a jump from 40 to 80 articles beats a
/// jump from 1 to 3. Topics with fewer than <see cref="MinRecentCount"/> recent articles never trend.
/// </summary>
public sealed class TrendingRanker
{
    public int MinRecentCount { get; init; } = 3;
    public double Smoothing { get; init; } = 1.0;

    /// <param name="counts">Per-topic counts; the store gets them with one GROUP BY over article_topics.</param>
    /// <param name="recentTotal">All articles in the recent window (with or without topics).</param>
    /// <param name="baselineTotal">All articles in the baseline window.</param>
    public IReadOnlyList<TrendingTopic> Rank(IReadOnlyCollection<TopicWindowCount> counts, int recentTotal, int baselineTotal, int limit)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (recentTotal <= 0 || limit <= 0)
        {
            return [];
        }

        var topics = Math.Max(1, counts.Count);
        var trending = new List<TrendingTopic>();
        foreach (var topic in counts)
        {
            if (topic.Recent < MinRecentCount)
            {
                continue;
            }

            var recentShare = (topic.Recent + Smoothing) / (recentTotal + (Smoothing * topics));
            // No history yet (a new bot): assume every topic, plus "everything else", was equally likely before.
            var baselineShare = baselineTotal <= 0
                ? 1.0 / (topics + 1)
                : (topic.Baseline + Smoothing) / (baselineTotal + (Smoothing * topics));
            var lift = recentShare / baselineShare;
            if (lift <= 1)
            {
                continue;
            }

            var expected = recentTotal * baselineShare;
            var score = (topic.Recent - expected) / Math.Sqrt(expected * (1 - Math.Min(baselineShare, 0.999)));
            trending.Add(new TrendingTopic(topic.Key, topic.Recent, topic.Baseline, lift, score));
        }

        return trending
            .OrderByDescending(t => t.Score)
            .ThenBy(t => t.Key, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
    }
}
