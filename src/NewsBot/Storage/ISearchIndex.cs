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
    /// <summary>Articles in the archive when first asked.</summary>
    long Documents { get; }

    /// <summary>Articles whose indexed text contains the word (as the index folds it).</summary>
    long Count(string word);
}
