using NewsBot.Model;
using NewsBot.Publishing;

namespace NewsBot.Tests.Publishing;

/// <summary>The backfill policy: the newest articles, taken in turn from each source.</summary>
public sealed class DeliveryPlannerTests
{
    [Fact]
    public void PickInTurns_OneBusySource_EachSourceGetsATurnNewestFirst()
    {
        // Newest first: source 1 has four newer articles than source 2's and source 3's only one.
        Article[] newestFirst = [A(1, 1), A(2, 1), A(3, 1), A(4, 1), A(5, 2), A(6, 3)];

        var picked = DeliveryPlanner.PickInTurns(newestFirst, 4).Select(a => a.Id);

        Assert.Equal([1L, 5L, 6L, 2L], picked);
    }

    [Fact]
    public void PickInTurns_FewerThanCount_TakesAll()
    {
        Assert.Equal([1L, 2L], DeliveryPlanner.PickInTurns([A(1, 1), A(2, 1)], 5).Select(a => a.Id));
    }

    private static Article A(long id, long sourceId) => new() { Id = id, SourceId = sourceId, DedupKey = $"k{id}", Title = $"t{id}", StoryId = id };
}
