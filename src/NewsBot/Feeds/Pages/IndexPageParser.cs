using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using NewsBot.Feeds.Parsing;
using NewsBot.Text;

namespace NewsBot.Feeds.Pages;

/// <summary>
/// Reads a news index page that has no feed as if it were one: its article links become items (title and link;
/// the article itself is read later like any teaser-only item). Links are taken when they match the source's
/// pattern, or, without one, when they look like articles: same site, outside navigation, a headline-length text,
/// and a path shaped like a story (a date, an id, or a long slug) rather than a section, tag or author page.
/// </summary>
public sealed partial class IndexPageParser
{
    private const int MaxItems = 100;
    private static readonly HashSet<string> NotArticleSegments = new(StringComparer.OrdinalIgnoreCase)
    {
        "tag", "tags", "topic", "topics", "category", "categories", "section", "sections", "author", "authors", "people",
        "about", "contact", "privacy", "terms", "cookies", "login", "signin", "signup", "register", "subscribe", "newsletter",
        "newsletters", "search", "feed", "rss", "account", "help", "faq", "jobs", "careers", "advertise", "shop",
    };

    private readonly HtmlParser _html = new();

    /// <summary>Null when the pattern is usable; otherwise why not.</summary>
    public static string? ValidatePattern(string pattern) => SafeRegex.Validate(pattern);

    public FeedParseResult Parse(ReadOnlyMemory<byte> content, string? contentType, Uri pageUri, string? linkPattern)
    {
        var document = _html.ParseDocument(Decode(content.Span, contentType));
        var pattern = linkPattern is null ? null : SafeRegex.Create(linkPattern);
        var seen = new HashSet<string>(StringComparer.Ordinal) { Normalise(pageUri) };
        var items = new List<ParsedItem>();
        foreach (var anchor in document.QuerySelectorAll("a[href]"))
        {
            if (items.Count >= MaxItems)
            {
                break;
            }

            if (!Uri.TryCreate(pageUri, anchor.GetAttribute("href"), out var link) || !IsCandidate(link, pageUri, pattern) || !seen.Add(Normalise(link)))
            {
                continue;
            }

            var title = Headline(anchor);
            if (title is null || (pattern is null && (InNavigation(anchor) || !LooksLikeArticlePath(link))))
            {
                continue;
            }

            items.Add(new ParsedItem { Title = title, Link = link.ToString() });
        }

        if (items.Count == 0)
        {
            return FeedParseResult.Failure("page.no_articles: no article links found on the page" + (pattern is null ? "" : " matching the source's pattern"));
        }

        return FeedParseResult.Success(new ParsedFeed
        {
            Format = FeedFormat.HtmlPage,
            Title = Clean(document.Title),
            Link = pageUri.ToString(),
            Language = document.DocumentElement.GetAttribute("lang"),
            Items = items,
        });
    }

    private static bool IsCandidate(Uri link, Uri page, Regex? pattern)
    {
        if (link.Scheme != page.Scheme && !(link.Scheme is "http" or "https" && page.Scheme is "http" or "https"))
        {
            return false;
        }

        if (pattern is not null)
        {
            return SafeRegex.IsMatch(pattern, link.ToString());
        }

        return link.IsFile || SameSite(link.Host, page.Host);
    }

    private static bool SameSite(string a, string b) =>
        string.Equals(Trim(a), Trim(b), StringComparison.OrdinalIgnoreCase);

    private static string Trim(string host) => host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? host[4..] : host;

    private static bool LooksLikeArticlePath(Uri link)
    {
        var segments = link.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Any(NotArticleSegments.Contains))
        {
            return false;
        }

        var last = Path.GetFileNameWithoutExtension(segments[^1]);
        return DatePath().IsMatch(link.AbsolutePath)
            || last.Count(c => c == '-') >= 2
            || (segments.Length >= 2 && ((last.Any(char.IsDigit) && last.Length >= 4) || (last.Contains('-') && last.Length >= 10)));
    }

    /// <summary>The link's own text when it reads like a headline, else the heading of the teaser it sits in.</summary>
    private static string? Headline(IElement anchor)
    {
        var text = Clean(anchor.TextContent);
        if (IsHeadline(text))
        {
            return text;
        }

        var heading = anchor.Closest("article, li")?.QuerySelector("h1, h2, h3, h4");
        var fallback = Clean(heading?.TextContent);
        return IsHeadline(fallback) ? fallback : null;
    }

    // CJK headlines have no spaces: count characters there, words elsewhere.
    private static bool IsHeadline(string? text) =>
        text is { Length: >= 8 } && (text.Count(char.IsWhiteSpace) >= 2 || text.Any(c => c >= '\u3000'));

    private static bool InNavigation(IElement element) =>
        element.Closest("nav, header, footer, aside, [role=navigation], [role=banner], [role=contentinfo]") is not null;

    private static string Normalise(Uri uri) => new UriBuilder(uri) { Fragment = "" }.Uri.ToString().TrimEnd('/');

    private static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Spaces().Replace(text, " ").Trim();
    }

    private static string Decode(ReadOnlySpan<byte> content, string? contentType)
    {
        var charset = contentType?.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase))?[8..].Trim('"');
        try
        {
            return (charset is null ? Encoding.UTF8 : Encoding.GetEncoding(charset)).GetString(content);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8.GetString(content);
        }
    }

    [GeneratedRegex(@"/(19|20)\d\d[/-](0?[1-9]|1[0-2])([/-]|$)")]
    private static partial Regex DatePath();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
