using NewsBot.Knowledge;

namespace NewsBot.Tests.Knowledge;

public class TrendingRankerTests
{
    /// <summary>
    /// A generated archive: a week of baseline and one recent day. Every topic keeps its usual daily rate,
    /// except "volcano", which spikes today; "politics" is big but steady; "one-off" appears once.
    /// </summary>
    private static (List<TopicWindowCount> Counts, int RecentTotal, int BaselineTotal) Archive()
    {
        var random = new Random(42);
        var dailyRates = new Dictionary<string, int> { ["politics"] = 60, ["sport"] = 40, ["tech"] = 30, ["business"] = 25, ["volcano"] = 1 };
        for (var i = 0; i < 20; i++)
        {
            dailyRates[$"minor-{i}"] = 2 + (i % 5);
        }

        var counts = new List<TopicWindowCount>();
        foreach (var (key, rate) in dailyRates)
        {
            var baseline = Enumerable.Range(0, 7).Sum(_ => rate + random.Next(-rate / 5, (rate / 5) + 1));
            var recent = key == "volcano" ? 30 : rate + random.Next(-rate / 5, (rate / 5) + 1);
            counts.Add(new TopicWindowCount(key, recent, baseline));
        }

        counts.Add(new TopicWindowCount("one-off", 1, 0));
        return (counts, counts.Sum(c => c.Recent), counts.Sum(c => c.Baseline));
    }

    [Fact]
    public void Rank_KnownSpike_RanksSpikeFirst()
    {
        var (counts, recentTotal, baselineTotal) = Archive();

        var trending = new TrendingRanker().Rank(counts, recentTotal, baselineTotal, 5);

        Assert.Equal("volcano", trending[0].Key);
        Assert.True(trending[0].Lift > 5);
        Assert.DoesNotContain(trending, t => t.Key == "politics" && t.Score > trending[0].Score / 4);
    }

    [Fact]
    public void Rank_SingleArticle_NeverTrends()
    {
        var (counts, recentTotal, baselineTotal) = Archive();

        var trending = new TrendingRanker().Rank(counts, recentTotal, baselineTotal, 100);

        Assert.DoesNotContain(trending, t => t.Key == "one-off");
    }

    [Fact]
    public void Rank_NewTopicWithoutBaseline_HasFiniteLift()
    {
        var counts = new List<TopicWindowCount> { new("new", 5, 0), new("old", 5, 100) };

        var trending = new TrendingRanker().Rank(counts, 10, 100, 10);

        var topic = Assert.Single(trending);
        Assert.Equal("new", topic.Key);
        Assert.True(double.IsFinite(topic.Lift) && double.IsFinite(topic.Score));
    }

    [Fact]
    public void Rank_EmptyRecentWindow_ReturnsNothing() =>
        Assert.Empty(new TrendingRanker().Rank([new TopicWindowCount("a", 0, 10)], 0, 10, 5));
}
