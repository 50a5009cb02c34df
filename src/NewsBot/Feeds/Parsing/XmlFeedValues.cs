using System.Globalization;
using System.Text;
using NewsBot.Feeds.Processing;
using static NewsBot.Feeds.Parsing.FeedNamespaces;

namespace NewsBot.Feeds.Parsing;

/// <summary>Readings shared by the RSS and Atom readers: text, links, dates, media and enclosures.</summary>
internal static class XmlFeedValues
{
    /// <summary>Trimmed value (text, or the markup of unescaped child elements), or null when empty.</summary>
    public static string? Text(FeedElement? element) => element?.TrimmedValue();

    /// <summary>Text that may hold HTML (RSS titles and descriptions, Atom type="html"), as plain text.</summary>
    public static string? PlainTextOfHtml(FeedElement? element) =>
        element is null ? null : HtmlText.ToPlainText(element.Value);

    /// <summary>An Atom text construct (RFC 4287 §3.1) as plain text.</summary>
    public static string? PlainTextOfConstruct(FeedElement? element)
    {
        if (element is null)
        {
            return null;
        }

        return ConstructKind(element) switch
        {
            "text" => NonEmpty(FoldSpaces(IsBase64(element) ? DecodeBase64(element.Text) ?? string.Empty : element.Text)),
            _ => HtmlText.ToPlainText(HtmlOfConstruct(element)),
        };
    }

    /// <summary>An Atom text/content construct as HTML (or as the text given, for type="text").</summary>
    public static string? HtmlOfConstruct(FeedElement element)
    {
        if (element.Attribute("src") is not null && !element.HasChildren && !element.HasText)
        {
            return null;
        }

        if (IsBase64(element))
        {
            return DecodeBase64(element.Text);
        }

        if (ConstructKind(element) == "xhtml")
        {
            // The XHTML div is a wrapper, not content (RFC 4287 §3.1.1.3).
            return NonEmpty(element.Children is [var only] && string.Equals(only.LocalName, "div", StringComparison.OrdinalIgnoreCase)
                ? only.InnerMarkup
                : element.InnerMarkup);
        }

        return element.TrimmedValue();
    }

    private static bool IsBase64(FeedElement element) =>
        string.Equals(element.Attribute("mode"), "base64", StringComparison.OrdinalIgnoreCase) || ConstructKind(element) == "base64";

    /// <summary>
    /// The name in RSS's "email (Name)" or "Name &lt;email&gt;" author forms (RFC 822 mailbox), as plain text.
    /// </summary>
    public static string? PersonName(string? author) => author is null ? null : HtmlText.ToPlainText(NameOfMailbox(author));

    private static string NameOfMailbox(string author)
    {
        var open = author.IndexOf('(', StringComparison.Ordinal);
        if (open > 0 && author.EndsWith(')'))
        {
            // "me@example.com (Name)" as RSS 2.0 asks, or the reverse "Name (me@example.com)".
            var before = author[..open].Trim();
            var inside = author[(open + 1)..^1].Trim();
            if (before.Contains('@', StringComparison.Ordinal))
            {
                return NonEmpty(inside) ?? author;
            }

            if (inside.Contains('@', StringComparison.Ordinal))
            {
                return NonEmpty(before) ?? author;
            }
        }

        var angle = author.IndexOf('<', StringComparison.Ordinal);
        if (angle > 0 && author.EndsWith('>') && author[angle..].Contains('@', StringComparison.Ordinal))
        {
            return NonEmpty(author[..angle].Trim().Trim('"')) ?? author;
        }

        return author;
    }

    private static string ConstructKind(FeedElement element)
    {
        var type = element.Attribute("type")?.Trim().ToLowerInvariant();
        return type switch
        {
            null or "" => element.HasChildren ? "html" : "text",
            "text" or "text/plain" => "text",
            "xhtml" or "application/xhtml+xml" => "xhtml",

            // RFC 4287 §4.1.3.3: any other non-text, non-XML media type is Base64-encoded.
            _ when type.Contains('/', StringComparison.Ordinal) && !type.StartsWith("text/", StringComparison.Ordinal)
                && !type.EndsWith("xml", StringComparison.Ordinal) => "base64",
            _ => "html",
        };
    }

    public static string? Resolve(FeedElement element, string? link)
    {
        return FeedLinks.ResolveText(element.BaseUri, link);
    }

    public static DateTimeOffset? Date(FeedElement? element) => FeedDateParser.Parse(element?.Text);

    public static DateTimeOffset? FirstDate(FeedElement parent, params ReadOnlySpan<(string Ns, string Name)> names)
    {
        foreach (var (ns, name) in names)
        {
            if (Date(parent.Child(ns, name)) is { } date)
            {
                return date;
            }
        }

        return null;
    }

    public static FeedElement? FirstChild(FeedElement parent, params ReadOnlySpan<(string Ns, string Name)> names)
    {
        foreach (var (ns, name) in names)
        {
            if (parent.Child(ns, name) is { } child && (child.HasText || child.HasChildren))
            {
                return child;
            }
        }

        return null;
    }

    /// <summary>The href of the first atom:link with the given rel ("alternate" also matches a link without rel).</summary>
    public static string? AtomLink(FeedElement parent, string ns, string rel)
    {
        FeedElement? untyped = null;
        FeedElement? other = null;
        foreach (var link in parent.ChildrenNamed(ns, "link"))
        {
            var linkRel = link.Attribute("rel")?.Trim() ?? "alternate";
            if (!string.Equals(linkRel, rel, StringComparison.OrdinalIgnoreCase) || Href(link) is null)
            {
                continue;
            }

            // Prefer the HTML alternate when a feed offers several (RFC 4287 §4.2.7.2 allows one per type).
            var type = link.Attribute("type");
            if (type is not null && type.Contains("html", StringComparison.OrdinalIgnoreCase))
            {
                return Resolve(link, Href(link));
            }

            if (type is null)
            {
                untyped ??= link;
            }
            else
            {
                other ??= link;
            }
        }

        var chosen = untyped ?? other;
        return chosen is null ? null : Resolve(chosen, Href(chosen));
    }

    /// <summary>An id that is an http(s) URL doubles as the link when there is none (feedparser's guidislink).</summary>
    public static string? LinkFromId(string? id) =>
        id is not null && (id.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || id.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            ? id
            : null;

    /// <summary>The href, or the element text as some broken feeds write it (&lt;link&gt;http://…&lt;/link&gt;).</summary>
    private static string? Href(FeedElement link) => NonEmpty(link.Attribute("href")) ?? Text(link);

    /// <summary>An Atom id is an IRI; a relative one is resolved against xml:base as feedparser and gofeed do.</summary>
    public static string? AtomId(FeedElement? id)
    {
        var value = Text(id);
        if (value is null || id!.BaseUri is null || value.Contains(':', StringComparison.Ordinal))
        {
            return value;
        }

        return Resolve(id, value);
    }

    /// <summary>RSS &lt;ttl&gt; (minutes) or sy:updatePeriod × sy:updateFrequency.</summary>
    public static TimeSpan? UpdateInterval(FeedElement channel)
    {
        if (int.TryParse(Text(channel.Child(None, "ttl")), CultureInfo.InvariantCulture, out var ttl) && ttl > 0)
        {
            return TimeSpan.FromMinutes(ttl);
        }

        var period = Text(channel.Child(Syndication, "updatePeriod"))?.ToLowerInvariant();
        var length = period switch
        {
            "hourly" => TimeSpan.FromHours(1),
            "daily" => TimeSpan.FromDays(1),
            "weekly" => TimeSpan.FromDays(7),
            "monthly" => TimeSpan.FromDays(30),
            "yearly" => TimeSpan.FromDays(365),
            _ => (TimeSpan?)null,
        };
        if (length is null)
        {
            return null;
        }

        var frequency = int.TryParse(Text(channel.Child(Syndication, "updateFrequency")), CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 1;
        return length / frequency;
    }

    /// <summary>RSS enclosures, atom rel="enclosure" links and Media RSS content (also inside media:group).</summary>
    public static List<Enclosure> Enclosures(FeedElement item, string atomNs)
    {
        var enclosures = new List<Enclosure>();
        foreach (var child in item.Children)
        {
            if (child.Is(None, "enclosure"))
            {
                Add(enclosures, child, child.Attribute("url"), child.Attribute("type"), child.Attribute("length"));
            }
            else if (child.Is(atomNs, "link") && string.Equals(child.Attribute("rel"), "enclosure", StringComparison.OrdinalIgnoreCase))
            {
                Add(enclosures, child, Href(child), child.Attribute("type"), child.Attribute("length"));
            }
        }

        AddMediaContents(enclosures, item);
        foreach (var group in item.ChildrenNamed(Media, "group"))
        {
            AddMediaContents(enclosures, group);
        }

        return enclosures;
    }

    private static void AddMediaContents(List<Enclosure> enclosures, FeedElement parent)
    {
        foreach (var media in parent.ChildrenNamed(Media, "content"))
        {
            Add(enclosures, media, media.Attribute("url"), media.Attribute("type"), media.Attribute("fileSize"));
        }
    }

    private static void Add(List<Enclosure> enclosures, FeedElement element, string? url, string? type, string? length)
    {
        var resolved = Resolve(element, url);
        if (resolved is null || enclosures.Exists(e => e.Url == resolved))
        {
            return;
        }

        long? size = long.TryParse(length?.Trim(), CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : null;
        enclosures.Add(new Enclosure(resolved, NonEmpty(type), size));
    }

    /// <summary>An item's picture: media:thumbnail, an image media:content, itunes:image, or an image enclosure.</summary>
    public static string? Image(FeedElement item, IReadOnlyList<Enclosure> enclosures)
    {
        var thumbnail = item.Child(Media, "thumbnail") ?? ThumbnailInside(item, "group") ?? ThumbnailInside(item, "content");
        if (thumbnail is not null && Resolve(thumbnail, thumbnail.Attribute("url")) is { } thumbnailUrl)
        {
            return thumbnailUrl;
        }

        var imageContent = ImageContent(item);
        if (imageContent is null)
        {
            foreach (var group in item.ChildrenNamed(Media, "group"))
            {
                if ((imageContent = ImageContent(group)) is not null)
                {
                    break;
                }
            }
        }

        if (imageContent is not null && Resolve(imageContent, imageContent.Attribute("url")) is { } contentUrl)
        {
            return contentUrl;
        }

        if (item.Child(Itunes, "image") is { } itunesImage && Resolve(itunesImage, itunesImage.Attribute("href") ?? itunesImage.Attribute("url")) is { } itunesUrl)
        {
            return itunesUrl;
        }

        return enclosures.FirstOrDefault(e => e.Type?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ?? false)?.Url;
    }

    /// <summary>The first media:thumbnail inside a media:group or media:content child.</summary>
    private static FeedElement? ThumbnailInside(FeedElement item, string mediaElement)
    {
        foreach (var container in item.ChildrenNamed(Media, mediaElement))
        {
            if (container.Child(Media, "thumbnail") is { } thumbnail)
            {
                return thumbnail;
            }
        }

        return null;
    }

    /// <summary>The first media:content that is an image.</summary>
    private static FeedElement? ImageContent(FeedElement parent)
    {
        foreach (var media in parent.ChildrenNamed(Media, "content"))
        {
            if (string.Equals(media.Attribute("medium"), "image", StringComparison.OrdinalIgnoreCase)
                || (media.Attribute("type")?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ?? false))
            {
                return media;
            }
        }

        return null;
    }

    /// <summary>A BCP 47 tag as feeds should have written it: "en_US" becomes "en-US".</summary>
    public static string? LanguageTag(string? language) => NonEmpty(language)?.Replace('_', '-');

    /// <summary>The values trimmed, without empty ones and repeats.</summary>
    public static List<string> Distinct(IEnumerable<string?> values)
    {
        var list = new List<string>();
        foreach (var value in values)
        {
            AddDistinct(list, value);
        }

        return list;
    }

    /// <summary>As <see cref="Distinct"/>, for the value of each child with the name.</summary>
    public static void AddDistinct(List<string> values, FeedElement parent, string ns, string localName, Func<FeedElement, string?> valueOf)
    {
        foreach (var child in parent.ChildrenNamed(ns, localName))
        {
            AddDistinct(values, valueOf(child));
        }
    }

    private static void AddDistinct(List<string> values, string? value)
    {
        if (NonEmpty(value) is { } trimmed && !values.Contains(trimmed))
        {
            values.Add(trimmed);
        }
    }

    public static string? NonEmpty(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    private static string FoldSpaces(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static string? DecodeBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text.Trim(), buffer, out var written)
            ? NonEmpty(Encoding.UTF8.GetString(buffer, 0, written))
            : NonEmpty(text);
    }
}
