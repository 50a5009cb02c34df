using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace NewsBot.Feeds.Parsing;

/// <summary>Reads RSS and Atom documents into a <see cref="ParsedFeed"/>. Stateless and thread-safe.</summary>
public sealed class FeedParser
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    /// <param name="content">The document bytes as received.</param>
    /// <param name="contentType">The HTTP Content-Type header, when there was one (its charset wins over the XML declaration).</param>
    /// <param name="baseUri">Where the document came from, to resolve relative links.</param>
    public FeedParseResult Parse(ReadOnlyMemory<byte> content, string? contentType, Uri? baseUri)
    {
        XDocument document;
        try
        {
            using var stream = new MemoryStream(content.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            return FeedParseResult.Failure($"feed.parse_failed: {ex.Message}");
        }

        var root = document.Root!;
        return root.Name.LocalName switch
        {
            "rss" => FeedParseResult.Success(ParseRss(root.Element("channel") ?? root, baseUri)),
            "feed" when root.Name.Namespace == Atom => FeedParseResult.Success(ParseAtom(root, baseUri)),
            _ => FeedParseResult.Failure($"feed.unknown_format: root element <{root.Name.LocalName}>"),
        };
    }

    private static ParsedFeed ParseRss(XElement channel, Uri? baseUri) => new()
    {
        Format = FeedFormat.Rss2,
        Title = Text(channel.Element("title")),
        Link = Resolve(Text(channel.Element("link")), baseUri),
        Language = Text(channel.Element("language")),
        Description = Text(channel.Element("description")),
        Items = channel.Elements("item").Select(item => new ParsedItem
        {
            Id = Text(item.Element("guid")),
            Title = Text(item.Element("title")),
            Link = Resolve(Text(item.Element("link")), baseUri),
            Published = Date(Text(item.Element("pubDate")) ?? Text(item.Element(Dc + "date"))),
            Author = Text(item.Element("author")) ?? Text(item.Element(Dc + "creator")),
            Summary = Text(item.Element("description")),
            Content = Text(item.Element(Content + "encoded")),
            Categories = item.Elements("category").Select(Text).OfType<string>().ToList(),
        }).ToList(),
    };

    private static ParsedFeed ParseAtom(XElement feed, Uri? baseUri) => new()
    {
        Format = FeedFormat.Atom10,
        Title = Text(feed.Element(Atom + "title")),
        Link = Resolve(AtomLink(feed), baseUri),
        Language = (string?)feed.Attribute(XNamespace.Xml + "lang"),
        Items = feed.Elements(Atom + "entry").Select(entry => new ParsedItem
        {
            Id = Text(entry.Element(Atom + "id")),
            Title = Text(entry.Element(Atom + "title")),
            Link = Resolve(AtomLink(entry), baseUri),
            Published = Date(Text(entry.Element(Atom + "published"))),
            Updated = Date(Text(entry.Element(Atom + "updated"))),
            Author = Text(entry.Element(Atom + "author")?.Element(Atom + "name")),
            Summary = Text(entry.Element(Atom + "summary")),
            Content = Text(entry.Element(Atom + "content")),
            Categories = entry.Elements(Atom + "category").Select(c => (string?)c.Attribute("term")).OfType<string>().ToList(),
        }).ToList(),
    };

    private static string? AtomLink(XElement element) =>
        element.Elements(Atom + "link")
            .Where(l => (string?)l.Attribute("rel") is null or "alternate")
            .Select(l => (string?)l.Attribute("href"))
            .FirstOrDefault();

    private static string? Text(XElement? element)
    {
        var value = element?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static string? Resolve(string? link, Uri? baseUri)
    {
        if (link is null)
        {
            return null;
        }

        return baseUri is not null && Uri.TryCreate(baseUri, link, out var absolute) ? absolute.ToString() : link;
    }

    private static DateTimeOffset? Date(string? value)
    {
        if (value is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.ToUniversalTime()
            : null;
    }
}
