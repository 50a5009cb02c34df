namespace NewsBot.Storage;

/// <summary>Topic counts over time windows (trending) and topic names (autocomplete).</summary>
public interface ITopicStore
{
    /// <summary>Articles per topic whose time falls in [from, to), with the number of articles in the window.</summary>
    Task<TopicCounts> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Topic names starting with (or containing) what the user typed, most used first.</summary>
    Task<IReadOnlyList<string>> SuggestAsync(string typed, int limit, CancellationToken cancellationToken);
}

public sealed record TopicCount(string Key, string Name, int Count);

public sealed record TopicCounts(IReadOnlyList<TopicCount> Topics, int TotalArticles);
