using static NewsBot.Feeds.Parsing.FeedNamespaces;
using static NewsBot.Feeds.Parsing.XmlFeedValues;

namespace NewsBot.Feeds.Parsing;

/// <summary>RSS 0.9x, 1.0 (RDF) and 2.0 with the content, Dublin Core, Media RSS, iTunes and syndication modules.</summary>
internal static class RssReader
{
    public static ParsedFeed Read(FeedElement root, string encoding)
    {
        var channel = root.Is(None, "channel") ? root : root.Child(None, "channel") ?? root;

        // RSS 1.0 and 0.90 put items beside the channel, RSS 2.0 inside it.
        var items = new List<ParsedItem>();
        ReadItems(channel, items);
        if (!ReferenceEquals(channel, root))
        {
            ReadItems(root, items);
        }

        // RSS 1.0 puts only a reference to the image inside the channel; the image itself sits beside it.
        var image = ImageWithUrl(channel) ?? ImageWithUrl(root);
        var description = FirstChild(channel, (None, "description"), (Itunes, "summary"), (Itunes, "subtitle"), (Dc, "description"),
            (DcTerms, "description"), (Media, "description"), (Atom, "subtitle"));
        return new ParsedFeed
        {
            Format = FormatOf(root, channel),
            Version = VersionOf(root, channel),
            Title = PlainTextOfHtml(FirstChild(channel, (None, "title"), (Dc, "title"))),
            Link = PreferWebUrl(RssLink(channel), AtomLink(channel, Atom, "alternate")),
            Description = PlainTextOfHtml(description),
            Language = LanguageTag(TrimmedText(channel.Child(None, "language")) ?? TrimmedText(channel.Child(Dc, "language")) ?? channel.Language),
            UpdateInterval = UpdateInterval(channel),
            SelfUrl = AtomLink(channel, Atom, "self"),
            NextUrl = AtomLink(channel, Atom, "next"),
            Author = PersonName(TrimmedText(FirstChild(channel, (Itunes, "author"), (None, "managingEditor"), (None, "author"), (Dc, "creator"), (Dc, "author"), (None, "webMaster"), (Dc, "publisher")))),
            Updated = FirstDate(channel, (None, "lastBuildDate"), (None, "pubDate"), (Dc, "date"), (DcTerms, "modified"), (Atom, "updated")),
            ImageUrl = (image is null ? null : Resolve(image, TrimmedText(image.Child(None, "url"))))
                ?? Image(channel, [], description?.Value),
            Encoding = encoding,
            Items = items,
        };
    }

    private static void ReadItems(FeedElement parent, List<ParsedItem> items)
    {
        foreach (var item in parent.ChildrenNamed(None, "item"))
        {
            items.Add(ReadItem(item));
        }
    }

    private static FeedElement? ImageWithUrl(FeedElement parent)
    {
        foreach (var image in parent.ChildrenNamed(None, "image"))
        {
            if (image.Child(None, "url") is not null)
            {
                return image;
            }
        }

        return null;
    }

    private static FeedFormat FormatOf(FeedElement root, FeedElement channel)
    {
        if (root.Is(Rdf, "RDF"))
        {
            var rssNamespace = $"{channel.NamespaceUri} {root.LookupNamespace(string.Empty)}";
            return rssNamespace.Contains("/rdf/simple/0.9", StringComparison.OrdinalIgnoreCase) ? FeedFormat.Rss09 : FeedFormat.Rss1;
        }

        var version = root.Attribute("version")?.Trim();
        return version is not null && version.StartsWith("0.9", StringComparison.Ordinal) ? FeedFormat.Rss09 : FeedFormat.Rss2;
    }

    /// <summary>
    /// The version as written: the rss element's version attribute (empty when it has none, as gofeed reports it), or
    /// for RDF "0.9" or "1.0" by the channel's namespace.
    /// </summary>
    private static string VersionOf(FeedElement root, FeedElement channel)
    {
        if (root.Is(Rdf, "RDF"))
        {
            return FormatOf(root, channel) == FeedFormat.Rss09 ? "0.9" : "1.0";
        }

        return root.Attribute("version")?.Trim() ?? string.Empty;
    }

    private static ParsedItem ReadItem(FeedElement item)
    {
        var guidElement = item.Child(None, "guid");
        var guid = TrimmedText(guidElement);
        var enclosures = Enclosures(item, Atom);
        var description = item.Child(None, "description");
        var content = FirstChild(item, (Content, "encoded"))?.TrimmedValue()
            ?? FirstChild(item, (Xhtml, "body"), (None, "body"), (None, "fullitem"))?.TrimmedValue()
            ?? (item.Child(Atom, "content") is { } atomContent ? HtmlOfConstruct(atomContent) : null);
        return new ParsedItem
        {
            Id = guid ?? NonEmpty(item.Attribute("rdf:about")) ?? TrimmedText(item.Child(Atom, "id")),
            Title = PlainTextOfHtml(FirstChild(item, (None, "title"), (Dc, "title"), (Media, "title"))),
            Link = PreferWebUrl(RssLink(item), AtomLink(item, Atom, "alternate"), PermalinkOf(guidElement, guid), NonEmpty(item.Attribute("rdf:about"))),
            Published = FirstDate(item, (None, "pubDate"), (Dc, "date"), (DcTerms, "issued"), (DcTerms, "created"), (Atom, "published"), (DcTerms, "modified"), (Atom, "updated")),
            Updated = FirstDate(item, (Atom, "updated"), (DcTerms, "modified")),
            Author = PersonName(TrimmedText(FirstChild(item, (None, "author"), (Dc, "creator"), (Itunes, "author"), (Dc, "author"))))
                ?? TrimmedText(item.Child(Atom, "author")?.Child(Atom, "name")),
            Summary = PlainTextOfHtml(FirstChild(item, (None, "description"), (Itunes, "summary"), (Itunes, "subtitle"), (Dc, "description"), (Media, "description")))
                ?? PlainTextOfHtml(item.Child(Media, "group")?.Child(Media, "description")),
            Content = content,
            Categories = Categories(item, Atom),
            Enclosures = enclosures,
            Language = LanguageTag(TrimmedText(item.Child(Dc, "language")) ?? item.Language),
            ImageUrl = Image(item, enclosures, content, description?.Value),
        };
    }

    /// <summary>A GUID is the item's link when it is a permalink (RSS 2.0: isPermaLink defaults to true) and looks like one.</summary>
    private static string? PermalinkOf(FeedElement? guidElement, string? guid)
    {
        if (guidElement is null || guid is null
            || string.Equals(guidElement.Attribute("isPermaLink")?.Trim(), "false", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return guid.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || guid.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? Resolve(guidElement, guid)
            : null;
    }
}
