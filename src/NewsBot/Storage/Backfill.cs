using NewsBot.Model;

namespace NewsBot.Storage;

/// <summary>Which stored articles a backfill posts: fair across sources, newest first.</summary>
public static class Backfill
{
    /// <summary>How many candidates a subscription's backfill reads per article it may post, so that several sources get a turn.</summary>
    public const int CandidatesPerPick = 10;

    /// <summary>
    /// Takes <paramref name="count"/> articles from a newest-first list in turns: the newest of each source (sources
    /// in the order of their newest article), then the second newest of each, and so on. Thirty new feeds give a
    /// channel one article from each of ten feeds, not ten from the first.
    /// </summary>
    public static IReadOnlyList<Article> Pick(IEnumerable<Article> newestFirst, int count)
    {
        var queues = newestFirst.GroupBy(a => a.SourceId).Select(g => new Queue<Article>(g)).ToList();
        var picked = new List<Article>(count);
        while (picked.Count < count && queues.Count > 0)
        {
            foreach (var queue in queues)
            {
                if (picked.Count == count)
                {
                    break;
                }

                picked.Add(queue.Dequeue());
            }

            queues.RemoveAll(q => q.Count == 0);
        }

        return picked;
    }
}
