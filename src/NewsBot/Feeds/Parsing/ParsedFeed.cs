namespace NewsBot.Feeds.Parsing;

public enum FeedFormat
{
    Rss2,
    Rss1,
    Rss09,
    /// <summary>Not a feed: a news index page whose article links were read as items.</summary>
    HtmlPage,
    Atom10,
    Atom03,
    Json,
}

/// <summary>A feed as the parser read it: titles and descriptions as plain text, dates in UTC, links absolute.</summary>
public sealed record ParsedFeed
{
    public FeedFormat Format { get; init; }
    /// <summary>
    /// The version as the document writes it: RSS's version attribute ("0.91", "2.01"; empty when missing), "1.0" or
    /// "0.9" for RDF by namespace, Atom's version attribute or namespace ("1.0", "0.3"), JSON Feed's version URL's number.
    /// </summary>
    public string? Version { get; init; }
    public string? Title { get; init; }
    public string? Link { get; init; }
    public string? Language { get; init; }
    /// <summary>Plain text (description, subtitle, tagline).</summary>
    public string? Description { get; init; }
    /// <summary>RSS &lt;ttl&gt; or sy:updatePeriod/updateFrequency: how often the publisher says to poll.</summary>
    public TimeSpan? UpdateInterval { get; init; }
    public string? SelfUrl { get; init; }
    public string? NextUrl { get; init; }
    /// <summary>atom:id or the JSON Feed feed_url; RSS has none.</summary>
    public string? Id { get; init; }
    public string? Author { get; init; }
    public DateTimeOffset? Updated { get; init; }
    /// <summary>Feed logo: RSS image, itunes:image, atom:logo/icon, JSON Feed icon.</summary>
    public string? ImageUrl { get; init; }
    /// <summary>The character encoding the bytes were read with, e.g. "utf-8" (diagnostics only).</summary>
    public string? Encoding { get; init; }
    public IReadOnlyList<ParsedItem> Items { get; init; } = [];
}

public sealed record ParsedItem
{
    /// <summary>GUID / atom:id / rdf:about / JSON id as given, or null.</summary>
    public string? Id { get; init; }
    /// <summary>Plain text.</summary>
    public string? Title { get; init; }
    /// <summary>Absolute URL.</summary>
    public string? Link { get; init; }
    public DateTimeOffset? Published { get; init; }
    public DateTimeOffset? Updated { get; init; }
    public string? Author { get; init; }
    /// <summary>Plain text teaser.</summary>
    public string? Summary { get; init; }
    /// <summary>Full content HTML as given (content:encoded, atom:content, content_html).</summary>
    public string? Content { get; init; }
    /// <summary>RSS category, dc:subject, Atom and Media RSS category and itunes:category, in document order, each term once.</summary>
    public IReadOnlyList<FeedCategory> Categories { get; init; } = [];
    public IReadOnlyList<Enclosure> Enclosures { get; init; } = [];
    public string? Language { get; init; }
    /// <summary>The article's picture: absolute http(s), never a tracking pixel or icon (see <see cref="NewsBot.Model.ArticleImage"/>).</summary>
    public string? ImageUrl { get; init; }
}

/// <summary>
/// A category as the feed gave it. <see cref="Term"/> is the key (Atom term, RSS category text); <see cref="Label"/>
/// is what people read when the feed gives one (Atom label, Media RSS label); <see cref="Scheme"/> is the vocabulary
/// (Atom scheme, RSS domain).
/// </summary>
public sealed record FeedCategory(string Term, string? Label = null, string? Scheme = null)
{
    /// <summary>What to show: the label when there is one, else the term.</summary>
    public string Name => Label ?? Term;
}

public sealed record Enclosure(string Url, string? Type, long? Length);

/// <summary>The parser's answer: a feed, or a reason it could not be read at all.</summary>
public sealed record FeedParseResult(ParsedFeed? Feed, string? Error)
{
    public static FeedParseResult Success(ParsedFeed feed) => new(feed, null);

    public static FeedParseResult Failure(string reason) => new(null, reason);
}
