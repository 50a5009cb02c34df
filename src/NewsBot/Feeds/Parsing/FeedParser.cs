using static NewsBot.Feeds.Parsing.FeedNamespaces;

namespace NewsBot.Feeds.Parsing;

/// <summary>
/// Reads RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed documents into a <see cref="ParsedFeed"/>, recovering what it
/// can from ill-formed XML (see <see cref="LenientXmlReader"/>). Stateless and thread-safe.
/// </summary>
public sealed class FeedParser
{
    /// <param name="content">The document bytes as received.</param>
    /// <param name="contentType">The HTTP Content-Type header, when there was one (its charset wins over the XML declaration).</param>
    /// <param name="baseUri">Where the document came from, to resolve relative links.</param>
    public FeedParseResult Parse(ReadOnlyMemory<byte> content, string? contentType, Uri? baseUri)
    {
        using var decoded = FeedTextDecoder.Decode(content.Span, contentType);
        var text = decoded.Span;
        var start = 0;
        while (start < text.Length && (char.IsWhiteSpace(text[start]) || text[start] == '\uFEFF'))
        {
            start++;
        }

        if (start == text.Length)
        {
            return FeedParseResult.Failure("feed.parse_failed: the document is empty");
        }

        if (text[start] is '{' or '[')
        {
            return JsonFeedReader.Read(decoded.Memory, baseUri, decoded.EncodingName);
        }

        // Everything read from the document is copied out before the decoded buffer goes back to the pool.
        var document = LenientXmlReader.Read(decoded.Buffer, decoded.Length, baseUri);
        var root = FindFeedRoot(document);
        if (root is null)
        {
            var first = document.Children is [var top, ..] ? top : null;
            return FeedParseResult.Failure(first switch
            {
                null => "feed.parse_failed: no XML element found",
                { LocalName: "CHANNEL" } => "feed.unknown_format: CDF (Channel Definition Format) is not supported",
                _ when string.Equals(first.LocalName, "html", StringComparison.OrdinalIgnoreCase) => "feed.unknown_format: an HTML page, not a feed",
                _ => $"feed.unknown_format: root element <{first.LocalName}>",
            });
        }

        var feed = root.Namespace == Atom || string.Equals(root.LocalName, "feed", StringComparison.OrdinalIgnoreCase)
            ? AtomReader.Read(root, decoded.EncodingName)
            : RssReader.Read(root, decoded.EncodingName);
        return FeedParseResult.Success(feed);
    }

    /// <summary>
    /// The rss, rdf:RDF, feed or channel element, looked for a few levels down: stray tags before the real root end
    /// up as enclosing elements in a lenient parse. An HTML page is a page, even one quoting a feed.
    /// </summary>
    private static FeedElement? FindFeedRoot(FeedElement document)
    {
        foreach (var top in document.Children)
        {
            if (string.Equals(top.LocalName, "html", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        List<FeedElement> level = [.. document.Children];
        for (var depth = 0; depth < 4 && level.Count > 0; depth++)
        {
            foreach (var element in level)
            {
                if (IsFeedRoot(element))
                {
                    return element;
                }
            }

            var next = new List<FeedElement>();
            foreach (var element in level)
            {
                next.AddRange(element.Children);
            }

            level = next;
        }

        return null;
    }

    private static bool IsFeedRoot(FeedElement element) =>
        element.LocalName.ToLowerInvariant() switch
        {
            "rss" => true,

            // Lower case only: upper-case CHANNEL is Microsoft's CDF, which is not a news feed format we read.
            "channel" => element.LocalName == "channel",
            "rdf" => element.Namespace == Rdf || element.Prefix.Length > 0,
            // feedparser reads a feed element in any namespace as Atom; so do we.
            "feed" => true,
            "entry" => element.Namespace is Atom,
            _ => false,
        };
}
