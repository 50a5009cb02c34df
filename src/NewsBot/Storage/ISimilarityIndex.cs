namespace NewsBot.Storage;

/// <summary>
/// What "more like this" reads from the archive: word counts, the newest articles holding a word, and the text of a
/// few candidates. The scoring lives in Knowledge (RelatedArticleFinder).
/// </summary>
public interface ISimilarityIndex
{
    /// <summary>One unit of work (one related-articles lookup); dispose it when done.</summary>
    ISimilarityReader Open();
}

/// <summary>An article as similarity scoring reads it.</summary>
public sealed record SimilarityDocument(
    long Id, long SourceId, long StoryId, string? Url, string Title, string? Summary, string? Text, string? Language, DateTimeOffset SortAt);

public interface ISimilarityReader : IDisposable
{
    /// <summary>The archive's size as the newest article id: cheap, and close enough for IDF.</summary>
    long ArchiveSize { get; }

    /// <summary>
    /// For each word, the articles whose indexed text holds it. Asked for an article's 50 most frequent words on every
    /// lookup, so an engine answers from counts kept with its index, not by counting matches, and for all the words at
    /// once: one round trip to a database server, not fifty.
    /// </summary>
    IReadOnlyList<long> Count(IReadOnlyList<string> words);

    /// <summary>For each word, the ids of the newest articles whose indexed text holds it, newest first; all words at once.</summary>
    IReadOnlyList<IReadOnlyList<long>> NewestWith(IReadOnlyList<string> words, int limit);

    /// <summary>The articles with these ids (missing ones are left out), in no particular order.</summary>
    IReadOnlyList<SimilarityDocument> Documents(IReadOnlyCollection<long> ids);
}
