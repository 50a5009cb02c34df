using System.Data.Common;
using NewsBot.Model;

namespace NewsBot.Storage;

/// <summary>Full-text search over the archive, and word counts from the same index.</summary>
public interface ISearchIndex
{
    /// <summary>
    /// The best <paramref name="limit"/> matches, ranked by BM25 (title weighted highest) with a boost for recent
    /// articles (<see cref="SearchRanker"/>); matches of <see cref="TextQuery.RecentWindow"/> first, the whole archive
    /// when the window has too few.
    /// </summary>
    Task<List<Article>> SearchAsync(TextQuery query, int limit, CancellationToken cancellationToken);

    /// <summary>Word counts from the index, for many lookups in one unit of work; dispose it when done.</summary>
    ITermCounts OpenTermCounts();
}

/// <summary>Document counts of the full-text index's words, held open for one unit of work.</summary>
public interface ITermCounts : IDisposable
{
    /// <summary>Articles in the archive when first asked (on PostgreSQL, deletions of the last second may still count).</summary>
    long Documents { get; }

    /// <summary>Articles whose indexed text contains the word (as the index folds it).</summary>
    long Count(string word);
}

/// <summary>How both engines count a word's documents cheaply: exactly up to a cap, estimated beyond it.</summary>
internal static class TermCountEstimate
{
    /// <summary>Counts up to this many are exact.</summary>
    public const int ExactUpTo = 200;

    /// <summary>
    /// From the newest <see cref="ExactUpTo"/> matches (or fewer: then exact): how densely they fill the newest ids,
    /// scaled to the whole archive, so a word in half the archive costs as little to count as a rare one.
    /// </summary>
    /// <param name="newestMatches">One row: how many of the newest matches were read (at most <see cref="ExactUpTo"/>), and the oldest id among them.</param>
    public static long Of(DbDataReader newestMatches, long newestId)
    {
        newestMatches.Read();
        var count = newestMatches.GetInt64(0);
        if (count < ExactUpTo)
        {
            return count;
        }

        var oldestId = newestMatches.GetInt64(1);
        return Math.Max(count, (long)Math.Round((double)count * newestId / Math.Max(1, newestId - oldestId + 1)));
    }
}
