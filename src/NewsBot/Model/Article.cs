namespace NewsBot.Model;

/// <summary>A stored news article.</summary>
public sealed record Article
{
    public long Id { get; init; }
    public long SourceId { get; init; }
    /// <summary>Per-source identity: GUID, else canonical URL, else a hash (see Feeds processing).</summary>
    public required string DedupKey { get; init; }
    public string? Url { get; init; }
    public required string Title { get; init; }
    public string? Author { get; init; }
    /// <summary>Plain-text teaser from the feed.</summary>
    public string? Teaser { get; init; }
    /// <summary>Plain-text body: extracted from the page or the feed's full content; paragraphs separated by a blank line.</summary>
    public string? Text { get; init; }
    /// <summary>Plain-text summary, made once and reused by every channel.</summary>
    public string? Summary { get; init; }
    public string? Language { get; init; }
    public string? ImageUrl { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public DateTimeOffset FirstSeenAt { get; init; }
    /// <summary>The id of the first stored article of the same story (itself when it is the first).</summary>
    public long StoryId { get; init; }
    /// <summary>Published time, else first-seen time: the order in which news is shown.</summary>
    public DateTimeOffset SortTime => PublishedAt ?? FirstSeenAt;
    public IReadOnlyList<string> Categories { get; init; } = [];
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>The short id shown in posts and accepted by commands (base 36 of the row id).</summary>
    public string ShortId => ShortIds.Format(Id);
}

/// <summary>A link to a related article: from the page's own related block or from the archive.</summary>
public sealed record RelatedLink(string Title, string Url, long? ArticleId = null);

public static class ShortIds
{
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";

    public static string Format(long id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        if (id == 0)
        {
            return "0";
        }

        Span<char> buffer = stackalloc char[13];
        var position = buffer.Length;
        while (id > 0)
        {
            buffer[--position] = Digits[(int)(id % 36)];
            id /= 36;
        }

        return new string(buffer[position..]);
    }

    public static bool TryParse(string text, out long id)
    {
        id = 0;
        var span = text.AsSpan().Trim().TrimStart('#');
        if (span.IsEmpty || span.Length > 12)
        {
            return false;
        }

        foreach (var c in span)
        {
            var digit = Digits.IndexOf(char.ToLowerInvariant(c));
            if (digit < 0)
            {
                return false;
            }

            id = (id * 36) + digit;
        }

        return id > 0;
    }
}
