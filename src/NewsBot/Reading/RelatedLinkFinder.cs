using System.Text.RegularExpressions;
using AngleSharp.Dom;
using NewsBot.Model;
using NewsBot.Text;

namespace NewsBot.Reading;

/// <summary>
/// The page's own "related" block and its tag links. Related blocks are found by heading text in several
/// languages ("Related articles", "Lesen Sie auch", "À lire aussi", "相关阅读", ...), by rel="related", by class/id
/// containing "related", and by asides listing article links. Navigation, section, tag, author and self links are left
/// out; a link shows its headline alone.
/// </summary>
internal static partial class RelatedLinkFinder
{
    private const int MaxRelated = 20;
    private const int MaxTopics = 30;

    public sealed record Links(IReadOnlyList<RelatedLink> Related, IReadOnlyList<string> Topics);

    public static Links Find(IDocument document, Uri? baseUri, Uri? pageUrl, string? canonicalUrl)
    {
        var self = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var url in new[] { pageUrl?.ToString(), canonicalUrl })
        {
            if (UrlCanonicalizer.Canonicalize(url, null) is { } canonical)
            {
                self.Add(UrlCanonicalizer.IdentityOf(canonical));
            }
        }

        var related = new List<RelatedLink>();
        var seen = new HashSet<string>(self, StringComparer.OrdinalIgnoreCase);
        foreach (var anchor in RelatedAnchors(document))
        {
            if (related.Count < MaxRelated && ToRelated(anchor, baseUri) is { } link && seen.Add(UrlCanonicalizer.IdentityOf(link.Url)))
            {
                related.Add(link);
            }
        }

        return new Links(related, Topics(document, baseUri));
    }

    private static IEnumerable<IElement> RelatedAnchors(IDocument document)
    {
        foreach (var anchor in document.QuerySelectorAll("a[rel~=related][href]"))
        {
            yield return anchor;
        }

        foreach (var block in document.QuerySelectorAll("[class*=related i], [id*=related i]"))
        {
            if (!IsNavigation(block) && !block.Ancestors<IElement>().Any(ancestor => RelatedName().IsMatch(ancestor.ClassName ?? string.Empty)))
            {
                foreach (var anchor in block.QuerySelectorAll("a[href]"))
                {
                    yield return anchor;
                }
            }
        }

        foreach (var heading in document.QuerySelectorAll("h1, h2, h3, h4, h5, h6, strong, b, p, span, div, header, summary, legend, caption"))
        {
            if (heading.ChildElementCount <= 2 && ShortText(heading, 60) is { } text && IsRelatedHeading(text) && !IsNavigation(heading))
            {
                foreach (var anchor in AnchorsAfter(heading))
                {
                    yield return anchor;
                }
            }
        }

        foreach (var aside in document.QuerySelectorAll("aside"))
        {
            var headings = aside.QuerySelectorAll("h2, h3, h4, h5, h6, header, strong");
            if (!IsNavigation(aside) && !headings.Any(heading => NotRelatedHeading().IsMatch(heading.TextContent))
                && !NotRelatedHeading().IsMatch(aside.ClassName ?? string.Empty))
            {
                var anchors = aside.QuerySelectorAll("li a[href], article a[href]").Where(IsArticleLike).ToList();
                if (anchors.Count >= 2)
                {
                    foreach (var anchor in anchors)
                    {
                        yield return anchor;
                    }
                }
            }
        }
    }

    /// <summary>Links that follow a heading: in its following siblings, else after its parent (up to two levels).</summary>
    private static List<IElement> AnchorsAfter(IElement heading)
    {
        var start = heading;
        for (var level = 0; level < 3 && start is not null; level++, start = start.ParentElement)
        {
            var anchors = new List<IElement>();
            foreach (var sibling in start.ParentElement?.Children.SkipWhile(child => child != start).Skip(1) ?? [])
            {
                if (sibling.LocalName is "h1" or "h2" or "h3" or "h4" or "h5" or "h6" && anchors.Count > 0)
                {
                    break;
                }

                if (sibling.LocalName == "a" && sibling.HasAttribute("href"))
                {
                    anchors.Add(sibling);
                }

                anchors.AddRange(sibling.QuerySelectorAll("a[href]"));
            }

            if (anchors.Count > 0)
            {
                return anchors;
            }
        }

        return [];
    }

    private static RelatedLink? ToRelated(IElement anchor, Uri? baseUri)
    {
        if (IsNavigation(anchor) || IsTagLink(anchor) || IsAuthorLink(anchor) || IsSectionLink(anchor.GetAttribute("href")))
        {
            return null;
        }

        var href = anchor.GetAttribute("href");
        if (string.IsNullOrWhiteSpace(href) || href.StartsWith('#') || PageMetadata.Absolute(href, baseUri) is not { } absolute
            || UrlCanonicalizer.Canonicalize(absolute, null) is not { } url || NotAnArticle().IsMatch(url))
        {
            return null;
        }

        var title = Headline(anchor);
        if (title.Length == 0)
        {
            title = Clean(anchor.GetAttribute("title") ?? anchor.QuerySelector("img[alt]")?.GetAttribute("alt"));
        }

        var minimum = title.Any(ArticleExtractor.IsCjk) ? 4 : 12;
        return title.Length >= minimum && !IsRelatedHeading(title) ? new RelatedLink(title, url) : null;
    }

    /// <summary>
    /// The link's headline alone. Many sites render a related item as a card, <c>&lt;a&gt;&lt;h4&gt;Headline&lt;/h4&gt;&lt;p&gt;Teaser…&lt;/p&gt;&lt;/a&gt;</c>,
    /// whose text runs the two together: the heading wins, else the first of several text blocks, else the whole text.
    /// </summary>
    private static string Headline(IElement anchor)
    {
        if (anchor.QuerySelector("h1, h2, h3, h4, h5, h6, [class*=headline i], [class*=title i]") is { } heading && Clean(heading.TextContent) is { Length: > 0 } headline)
        {
            return headline;
        }

        var blocks = anchor.Children.Where(child => child.LocalName is "p" or "div" or "header" or "figcaption" && Clean(child.TextContent).Length > 0).ToList();
        return blocks.Count >= 2 ? Clean(blocks[0].TextContent) : Clean(anchor.TextContent);
    }

    /// <summary>
    /// A section front ("/news/world", "/sport"): a short path of plain words, no number, no slug, no page name. Articles
    /// have ids, dates or long slugs in their address.
    /// </summary>
    internal static bool IsSectionLink(string? href)
    {
        if (href is null || !Uri.TryCreate(href, UriKind.RelativeOrAbsolute, out var uri))
        {
            return false;
        }

        var pathAndQuery = uri.IsAbsoluteUri ? uri.PathAndQuery : href.Split('#')[0];
        var mark = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var query = mark >= 0 ? pathAndQuery[mark..] : string.Empty;
        var segments = (mark >= 0 ? pathAndQuery[..mark] : pathAndQuery).Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length <= 3 && !query.Any(char.IsDigit)
            && segments.All(segment => !segment.Any(char.IsDigit) && !segment.Contains('.', StringComparison.Ordinal) && segment.Count(c => c is '-' or '_') < 2);
    }

    private static IReadOnlyList<string> Topics(IDocument document, Uri? baseUri)
    {
        var topics = new List<string>();
        foreach (var anchor in document.QuerySelectorAll("a[href]"))
        {
            if (topics.Count >= MaxTopics)
            {
                break;
            }

            if (IsTagLink(anchor) && !IsNavigation(anchor) && PageMetadata.Absolute(anchor.GetAttribute("href"), baseUri) is not null)
            {
                var name = Clean(anchor.TextContent).TrimStart('#');
                if (name.Length is > 0 and <= 50 && !topics.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    topics.Add(name);
                }
            }
        }

        return topics;
    }

    private static bool IsTagLink(IElement anchor) =>
        (anchor.GetAttribute("rel") ?? string.Empty).Split(' ').Contains("tag", StringComparer.OrdinalIgnoreCase)
        || TagPath().IsMatch(anchor.GetAttribute("href") ?? string.Empty);

    private static bool IsAuthorLink(IElement anchor) =>
        (anchor.GetAttribute("rel") ?? string.Empty).Contains("author", StringComparison.OrdinalIgnoreCase)
        || AuthorPath().IsMatch(anchor.GetAttribute("href") ?? string.Empty);

    private static bool IsNavigation(IElement element) =>
        element.Closest("nav, header, footer, [role=navigation], [role=menu], [role=menubar]") is not null;

    /// <summary>A link whose path looks like an article (a long slug or a dated/deep path), not a section index.</summary>
    private static bool IsArticleLike(IElement anchor) =>
        Clean(anchor.TextContent).Length >= 20 && (anchor.GetAttribute("href") ?? string.Empty).Count(c => c is '/' or '-') >= 3;

    /// <summary>The element's text when it is at most <paramref name="maxLength"/> characters, without reading big subtrees.</summary>
    private static string? ShortText(IElement element, int maxLength)
    {
        var length = 0;
        foreach (var text in element.Descendants<IText>())
        {
            length += text.Data.Length;
            if (length > maxLength)
            {
                return null;
            }
        }

        return length == 0 ? null : element.TextContent;
    }

    private static bool IsRelatedHeading(string text) => RelatedHeading().IsMatch(Clean(text));

    private static string Clean(string? text) =>
        text is null ? string.Empty : string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"^\W*(related( articles?| stories| news| content| posts| reading| coverage| links| topics)?|read (more|also|next)|more on this (story|topic)|more (stories|news) on this|you (may|might) also (like|be interested in)|see also|also read|further reading|recommended( for you| reading)?|mehr zum thema|lesen sie auch|das könnte sie auch interessieren|weitere artikel|verwandte artikel|zum thema|auch interessant|à lire aussi|a lire aussi|lire aussi|à lire également|sur le même sujet|articles liés|articles similaires|voir aussi|noticias relacionadas|artículos relacionados|relacionad[oa]s?|te puede interesar|lee también|leer más|ver también|notícias relacionadas|artigos relacionados|leia também|leia mais|veja também|saiba mais|相关文章|相关阅读|推荐阅读|延伸阅读|相关新闻|相關文章|相關閱讀|延伸閱讀|推薦閱讀|関連記事)\W*$", RegexOptions.IgnoreCase)]
    private static partial Regex RelatedHeading();

    [GeneratedRegex(@"most[\s\-_]*(read|popular|viewed|shared|commented)|trending|popular|newsletter|meistgelesen|les plus lus|más leídas|mais lidas|热门|排行", RegexOptions.IgnoreCase)]
    private static partial Regex NotRelatedHeading();

    // Site pages and services that share widgets with related links: policies, sign-ups, comments, social networks.
    [GeneratedRegex(@"^\w+://([^/]*\.)?(disqus|facebook|twitter|x|linkedin|pinterest|reddit|whatsapp|instagram)\.com/|/(privacy|terms|about|about-us|contact|subscribe|subscription|newsletters?|signup|sign-up|login|register|cookies?|policy|policies|legal|imprint|impressum|advertise|careers|help|faq|feedback|community-standards|rss|feed)([/?.\-_]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex NotAnArticle();

    [GeneratedRegex(@"related", RegexOptions.IgnoreCase)]
    private static partial Regex RelatedName();

    [GeneratedRegex(@"(^|/)(tag|tags|topic|topics|schlagwort|thema|themen|sujet|etiqueta|tema)(/|\?|=|$)|[?&]tag=", RegexOptions.IgnoreCase)]
    private static partial Regex TagPath();

    [GeneratedRegex(@"(^|/)(author|authors|autor|auteur|profile|people|journalist|contributors?)(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorPath();
}
