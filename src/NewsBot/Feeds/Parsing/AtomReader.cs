using static NewsBot.Feeds.Parsing.FeedNamespaces;
using static NewsBot.Feeds.Parsing.XmlFeedValues;

namespace NewsBot.Feeds.Parsing;

/// <summary>Atom 1.0 (RFC 4287) and Atom 0.3, with Media RSS extensions as YouTube and others use them.</summary>
internal static class AtomReader
{
    public static ParsedFeed Read(FeedElement feed, string encoding)
    {
        if (feed.Is(feed.Namespace, "entry"))
        {
            // An Atom entry document (RFC 4287 §4.1.2): a feed of one.
            return new ParsedFeed { Format = FeedFormat.Atom10, Version = VersionOf(feed), Encoding = encoding, Items = [ReadEntry(feed, feed.Namespace, null)] };
        }

        // Atom 0.3 named the same things differently: tagline, modified, issued, copyright.
        var isAtom03 = feed.NamespaceUri?.StartsWith("http://purl.org/atom", StringComparison.OrdinalIgnoreCase) == true
            || feed.Attribute("version")?.Trim() == "0.3";
        var ns = feed.Namespace;
        var feedAuthor = AuthorOf(feed, ns);
        return new ParsedFeed
        {
            Format = isAtom03 ? FeedFormat.Atom03 : FeedFormat.Atom10,
            Version = VersionOf(feed),
            Title = PlainTextOfConstruct(feed.Child(ns, "title")),
            Link = AtomLink(feed, ns, "alternate"),
            Description = PlainTextOfConstruct(FirstChild(feed, (ns, "subtitle"), (ns, "tagline"), (ns, "info")))
                ?? PlainTextOfHtml(FirstChild(feed, (Dc, "description"), (DcTerms, "description"), (Itunes, "summary"), (Itunes, "subtitle"), (Media, "description"))),
            Language = LanguageTag(feed.Language),
            SelfUrl = AtomLink(feed, ns, "self"),
            NextUrl = AtomLink(feed, ns, "next"),
            Id = AtomId(feed.Child(ns, "id")),
            Author = feedAuthor,
            Updated = FirstDate(feed, (ns, "updated"), (ns, "modified")),
            ImageUrl = ResolvedText(FirstChild(feed, (ns, "logo"), (ns, "icon"))),
            Encoding = encoding,
            Items = ReadEntries(feed, ns, feedAuthor),
        };
    }

    /// <summary>
    /// The version as written: the version attribute (Atom 0.3 feeds carry one), else by namespace ("1.0", "0.3"),
    /// else empty, as gofeed reports it.
    /// </summary>
    private static string VersionOf(FeedElement feed)
    {
        if (NonEmpty(feed.Attribute("version")) is { } version)
        {
            return version;
        }

        return feed.NamespaceUri?.StartsWith("http://purl.org/atom", StringComparison.OrdinalIgnoreCase) == true ? "0.3"
            : feed.Namespace == Atom ? "1.0"
            : string.Empty;
    }

    private static List<ParsedItem> ReadEntries(FeedElement feed, string ns, string? feedAuthor)
    {
        var items = new List<ParsedItem>();
        foreach (var entry in feed.ChildrenNamed(ns, "entry"))
        {
            items.Add(ReadEntry(entry, ns, feedAuthor));
        }

        return items;
    }

    private static ParsedItem ReadEntry(FeedElement entry, string ns, string? feedAuthor)
    {
        var enclosures = Enclosures(entry, ns);
        var content = entry.Child(ns, "content");
        var contentHtml = content is null ? null : HtmlOfConstruct(content);
        var summary = entry.Child(ns, "summary");
        var mediaGroup = entry.Child(Media, "group");
        var id = AtomId(entry.Child(ns, "id"));
        return new ParsedItem
        {
            Id = id,
            Title = PlainTextOfConstruct(entry.Child(ns, "title")) ?? PlainTextOfHtml(mediaGroup?.Child(Media, "title")),
            Link = AtomLink(entry, ns, "alternate") ?? ResolvedContentSource(content) ?? LinkFromId(id),
            Published = FirstDate(entry, (ns, "published"), (ns, "issued"), (ns, "created"), (Dc, "date")),
            Updated = FirstDate(entry, (ns, "updated"), (ns, "modified")),
            Author = AuthorOf(entry, ns) ?? (entry.Child(ns, "source") is { } source ? AuthorOf(source, ns) : null)
                ?? TrimmedText(entry.Child(Dc, "creator")) ?? feedAuthor,
            Summary = PlainTextOfConstruct(summary)
                ?? PlainTextOfHtml(mediaGroup?.Child(Media, "description") ?? entry.Child(Media, "description")),
            Content = contentHtml,
            Categories = Categories(entry, ns),
            Enclosures = enclosures,
            // The content's xml:lang says what language the article is in; it inherits the entry's otherwise.
            Language = LanguageTag(content?.Language ?? entry.Language),
            // The summary's HTML is only made when nothing before it gave a picture.
            ImageUrl = Image(entry, enclosures, contentHtml) ?? (summary is null ? null : HtmlImages.First(HtmlOfConstruct(summary), entry.BaseUri)),
        };
    }

    private static string? AuthorOf(FeedElement parent, string ns)
    {
        var author = parent.Child(ns, "author");
        return author is null ? null : TrimmedText(author.Child(ns, "name")) ?? TrimmedText(author.Child(ns, "email")) ?? TrimmedText(author);
    }

    private static string? ResolvedText(FeedElement? element) => element is null ? null : Resolve(element, element.Text);

    private static string? ResolvedContentSource(FeedElement? content) =>
        content?.Attribute("src") is { } src ? Resolve(content, src) : null;
}
