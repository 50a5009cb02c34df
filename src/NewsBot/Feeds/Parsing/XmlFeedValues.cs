using System.Globalization;
using System.Text;
using NewsBot.Text;
using static NewsBot.Feeds.Parsing.FeedNamespaces;

namespace NewsBot.Feeds.Parsing;

/// <summary>Readings shared by the RSS and Atom readers: text, links, dates, media and enclosures.</summary>
internal static class XmlFeedValues
{
    /// <summary>Trimmed value (text, or the markup of unescaped child elements), or null when empty.</summary>
    public static string? TrimmedText(FeedElement? element) => element?.TrimmedValue();

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

        return TextConstructKind(element) switch
        {
            "text" => NonEmpty(FoldSpaces(IsBase64Mode(element) ? DecodeBase64(element.Text) ?? string.Empty : element.Text)),
            _ => HtmlText.ToPlainText(HtmlOfConstruct(element)),
        };
    }

    /// <summary>
    /// A text construct (title, subtitle, summary) is text, html or xhtml (RFC 4287 §3.1.1); Atom 0.3 wrote MIME types.
    /// Another text type ("text/plain", "text/x-markdown") or an unknown word is read as text, never guessed to be markup.
    /// </summary>
    private static string TextConstructKind(FeedElement element)
    {
        var type = element.Attribute("type")?.Trim().ToLowerInvariant();
        return type switch
        {
            null or "" => element.HasChildren ? "html" : "text",
            "html" or "text/html" => "html",
            "xhtml" or "application/xhtml+xml" => "xhtml",
            _ when type.EndsWith("xml", StringComparison.Ordinal) => "html",

            // Atom 0.3 and gofeed read a non-text MIME type as Base64 (what RFC 4287 §4.1.3.3 says of content).
            _ when type.Contains('/', StringComparison.Ordinal) && !type.StartsWith("text/", StringComparison.Ordinal) => "base64",
            _ => "text",
        };
    }

    private static bool IsBase64Mode(FeedElement element) => string.Equals(element.Attribute("mode"), "base64", StringComparison.OrdinalIgnoreCase);

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

    private static bool IsBase64(FeedElement element) => IsBase64Mode(element) || ConstructKind(element) == "base64";

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

    /// <summary>
    /// The link among an RSS element's &lt;link&gt; children (their text, or an href as some feeds write it): the last
    /// that is an absolute http(s) URL once resolved, else the last that resolves at all. The last, because feedparser
    /// and gofeed let a repeated element overwrite the earlier one; a relative or non-web link never beats a web one.
    /// Links with a rel other than alternate (an unprefixed rel="self") are not the page's link.
    /// </summary>
    public static string? RssLink(FeedElement parent)
    {
        string? any = null;
        string? web = null;
        foreach (var link in parent.ChildrenNamed(None, "link"))
        {
            if (link.Attribute("rel") is { } rel && !string.Equals(rel.Trim(), "alternate", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (Resolve(link, Href(link)) is not { } resolved)
            {
                continue;
            }

            any = resolved;
            if (IsWebUrl(resolved))
            {
                web = resolved;
            }
        }

        return web ?? any;
    }

    /// <summary>The first absolute http(s) link of the candidates, else the first one at all.</summary>
    public static string? PreferWebUrl(params ReadOnlySpan<string?> candidates)
    {
        string? first = null;
        foreach (var candidate in candidates)
        {
            if (IsWebUrl(candidate))
            {
                return candidate;
            }

            first ??= candidate;
        }

        return first;
    }

    private static bool IsWebUrl(string? link) =>
        link is not null && (link.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || link.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        && Uri.IsWellFormedUriString(link, UriKind.Absolute);

    /// <summary>An id that is an http(s) URL doubles as the link when there is none (feedparser's guidislink).</summary>
    public static string? LinkFromId(string? id) =>
        id is not null && (id.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || id.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            ? id
            : null;

    /// <summary>The href, or the element text as some broken feeds write it (&lt;link&gt;http://…&lt;/link&gt;).</summary>
    private static string? Href(FeedElement link) => NonEmpty(link.Attribute("href")) ?? TrimmedText(link);

    /// <summary>An Atom id is an IRI; a relative one is resolved against xml:base as feedparser and gofeed do.</summary>
    public static string? AtomId(FeedElement? id)
    {
        var value = TrimmedText(id);
        if (value is null || id!.BaseUri is null || value.Contains(':', StringComparison.Ordinal))
        {
            return value;
        }

        return Resolve(id, value);
    }

    /// <summary>RSS &lt;ttl&gt; (minutes) or sy:updatePeriod × sy:updateFrequency.</summary>
    public static TimeSpan? UpdateInterval(FeedElement channel)
    {
        if (int.TryParse(TrimmedText(channel.Child(None, "ttl")), CultureInfo.InvariantCulture, out var ttl) && ttl > 0)
        {
            return TimeSpan.FromMinutes(ttl);
        }

        var period = TrimmedText(channel.Child(Syndication, "updatePeriod"))?.ToLowerInvariant();
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

        var frequency = int.TryParse(TrimmedText(channel.Child(Syndication, "updateFrequency")), CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 1;
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

    /// <summary>
    /// An item's (or channel's) picture, the first usable of: a media:thumbnail (of the element, a media:group or a
    /// media:content), an image media:content, itunes:image (or the older itunes:link rel="image"), an image
    /// enclosure, then the first sizeable &lt;img&gt; of the given HTML (content, then description). Usable means
    /// absolute http(s), not declared smaller than <see cref="ArticleImage.MinimumSide"/>, and not a pixel or icon.
    /// </summary>
    public static string? Image(FeedElement item, IReadOnlyList<Enclosure> enclosures, params ReadOnlySpan<string?> html)
    {
        foreach (var child in item.Children)
        {
            var thumbnail = child.Is(Media, "thumbnail") ? MediaImage(child)
                : child.Is(Media, "group") || child.Is(Media, "content") ? FirstThumbnail(child)
                : null;
            if (thumbnail is not null)
            {
                return thumbnail;
            }
        }

        if (ImageContent(item) is { } content)
        {
            return content;
        }

        foreach (var group in item.ChildrenNamed(Media, "group"))
        {
            if (ImageContent(group) is { } groupContent)
            {
                return groupContent;
            }
        }

        foreach (var child in item.Children)
        {
            var itunes = child.Is(Itunes, "image") ? child.Attribute("href") ?? child.Attribute("url") ?? TrimmedText(child)
                : child.Is(Itunes, "link") && string.Equals(child.Attribute("rel"), "image", StringComparison.OrdinalIgnoreCase) ? child.Attribute("href")
                : null;
            if (ArticleImage.Accept(Resolve(child, itunes)) is { } itunesUrl)
            {
                return itunesUrl;
            }
        }

        foreach (var enclosure in enclosures)
        {
            if ((enclosure.Type?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ?? false) && ArticleImage.Accept(enclosure.Url) is { } enclosureUrl)
            {
                return enclosureUrl;
            }
        }

        foreach (var markup in html)
        {
            if (HtmlImages.First(markup, item.BaseUri) is { } inline)
            {
                return inline;
            }
        }

        return null;
    }

    private static string? FirstThumbnail(FeedElement container)
    {
        foreach (var thumbnail in container.ChildrenNamed(Media, "thumbnail"))
        {
            if (MediaImage(thumbnail) is { } url)
            {
                return url;
            }
        }

        return null;
    }

    /// <summary>The first media:content that is an image (by medium or type) and usable.</summary>
    private static string? ImageContent(FeedElement parent)
    {
        foreach (var media in parent.ChildrenNamed(Media, "content"))
        {
            if ((string.Equals(media.Attribute("medium"), "image", StringComparison.OrdinalIgnoreCase)
                || (media.Attribute("type")?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ?? false))
                && MediaImage(media) is { } url)
            {
                return url;
            }
        }

        return null;
    }

    /// <summary>A Media RSS element's url, when its declared width and height allow a picture.</summary>
    private static string? MediaImage(FeedElement media) =>
        ArticleImage.IsSizeable(media.Attribute("width"), media.Attribute("height")) ? ArticleImage.Accept(Resolve(media, media.Attribute("url"))) : null;

    /// <summary>A BCP 47 tag as feeds should have written it: "en_US" becomes "en-US".</summary>
    public static string? LanguageTag(string? language) => NonEmpty(language)?.Replace('_', '-');

    /// <summary>
    /// An item's categories from every vocabulary, in document order, each once: RSS category (text; its domain is the
    /// scheme), Atom category (term, label, scheme; RFC 4287 §4.2.2 puts nothing in its text), dc:subject,
    /// media:category (scheme, label) and itunes:category with its subcategories.
    /// </summary>
    public static List<FeedCategory> Categories(FeedElement item, string atomNs)
    {
        var categories = new List<FeedCategory>();
        foreach (var child in item.Children)
        {
            if ((child.Is(atomNs, "category") && atomNs != None) || child.Attribute("term") is not null)
            {
                AddCategory(categories, NonEmpty(child.Attribute("term")) ?? child.Attribute("label"), child.Attribute("label"), child.Attribute("scheme"));
            }
            else if (child.Is(None, "category"))
            {
                AddCategory(categories, child.TrimmedValue(), null, child.Attribute("domain"));
            }
            else if (child.Is(Dc, "subject"))
            {
                AddCategory(categories, child.TrimmedValue(), null, null);
            }
            else if (child.Is(Media, "category"))
            {
                AddCategory(categories, child.TrimmedValue(), child.Attribute("label"), child.Attribute("scheme"));
            }
            else if (child.Is(Itunes, "category"))
            {
                AddItunesCategory(categories, child);
            }
        }

        return categories;
    }

    /// <summary>Apple's podcast categories nest a subcategory inside its parent; both are categories.</summary>
    private static void AddItunesCategory(List<FeedCategory> categories, FeedElement category)
    {
        AddCategory(categories, category.Attribute("text"), null, ItunesCategoryScheme);
        foreach (var sub in category.ChildrenNamed(Itunes, "category"))
        {
            AddItunesCategory(categories, sub);
        }
    }

    /// <summary>The scheme feedparser gives iTunes categories: Apple's category list.</summary>
    private const string ItunesCategoryScheme = "http://www.itunes.com/";

    /// <summary>
    /// A category with a term already there is a duplicate unless the two name different labels or schemes: the same
    /// word from RSS category and dc:subject is one category, USGS's term "nc" labelled Contributor and Author are two.
    /// </summary>
    private static void AddCategory(List<FeedCategory> categories, string? term, string? label, string? scheme)
    {
        if (NonEmpty(term) is not { } key)
        {
            return;
        }

        var category = new FeedCategory(key, NonEmpty(label), NonEmpty(scheme));
        if (!categories.Exists(c => c.Term == key && Agree(c.Label, category.Label) && Agree(c.Scheme, category.Scheme)))
        {
            categories.Add(category);
        }

        static bool Agree(string? a, string? b) => a is null || b is null || a == b;
    }

    /// <summary>Plain category terms (JSON Feed tags), trimmed, without empty ones and repeats.</summary>
    public static List<FeedCategory> Categories(IEnumerable<string?> terms)
    {
        var categories = new List<FeedCategory>();
        foreach (var term in terms)
        {
            AddCategory(categories, term, null, null);
        }

        return categories;
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
