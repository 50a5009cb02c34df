namespace NewsBot.Knowledge;

/// <summary>
/// How common a term is in the archive, for IDF weighting: the store answers from its full-text index.
/// A term is a lower-case word or a phrase of words joined by single spaces. Synchronous because SQLite
/// answers in-process and the callers already run on ingestion's background path.
/// </summary>
public interface IDocumentFrequencies
{
    /// <summary>How many articles the archive holds.</summary>
    long DocumentCount { get; }

    /// <summary>How many articles contain the term (a phrase: all its words in that order).</summary>
    long DocumentFrequency(string term);
}

/// <summary>An empty archive: every term is equally rare, so keyphrases rank by frequency and title alone.</summary>
public sealed class EmptyDocumentFrequencies : IDocumentFrequencies
{
    public long DocumentCount => 0;

    public long DocumentFrequency(string term) => 0;
}
