using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using NewsBot.Feeds.Fetching;

namespace NewsBot.Feeds.Discovery;

public sealed record DiscoveredFeed(Uri Url, string? Title);

/// <summary>The feeds found for a URL; when there are none, <see cref="Error"/> says why.</summary>
public sealed record DiscoveryResult(IReadOnlyList<DiscoveredFeed> Feeds, string? Error = null);

/// <summary>
/// Finds the feeds behind a URL a user pasted: the URL itself when it is a feed, else the page's advertised
/// feeds (&lt;link rel="alternate"&gt;), else links that look like feeds, else the usual feed paths.
/// Guesses are fetched and sniffed before they are offered.
/// </summary>
public sealed class FeedDiscoverer(FeedFetcher fetcher)
{
    /// <summary>Each guessed link costs a request; a page with more feed-like links than this gets no more of our load.</summary>
    private const int MaxLinkChecks = 5;

    private static readonly string[] FeedMediaTypes = ["application/rss+xml", "application/atom+xml", "application/feed+json"];

    private static readonly string[] CommonPaths = ["feed", "rss", "rss.xml", "atom.xml", "feed.xml", "index.xml"];

    private static readonly string[] FeedFileNames = [.. CommonPaths, "atom", "index.rss", "feed.json"];

    public async Task<DiscoveryResult> DiscoverAsync(string pageUrl, CancellationToken cancellationToken)
    {
        var page = await fetcher.FetchAsync(new FetchRequest(WithScheme(pageUrl.Trim())), cancellationToken);
        if (page.Status != FetchStatus.Ok || page.FinalUri is not { } pageUri)
        {
            return new DiscoveryResult([], page.Error);
        }

        if (FeedSniffer.LooksLikeFeed(page.Content))
        {
            return new DiscoveryResult([new DiscoveredFeed(pageUri, null)]);
        }

        using var document = ParseHtml(page);
        var baseUri = BaseOf(document, pageUri);
        var advertised = Distinct(AdvertisedFeeds(document, baseUri));
        if (advertised.Count > 0)
        {
            return new DiscoveryResult(advertised);
        }

        var linked = new List<DiscoveredFeed>();
        foreach (var candidate in Distinct(FeedLikeLinks(document, baseUri)).Take(MaxLinkChecks))
        {
            if (await IsFeedAsync(candidate.Url, cancellationToken))
            {
                linked.Add(candidate);
            }
        }

        if (linked.Count > 0)
        {
            return new DiscoveryResult(linked);
        }

        foreach (var candidate in CommonPathCandidates(pageUri))
        {
            if (await IsFeedAsync(candidate, cancellationToken))
            {
                return new DiscoveryResult([new DiscoveredFeed(candidate, null)]);
            }
        }

        return new DiscoveryResult([], $"discovery.no_feeds: {pageUri.AbsoluteUri}");
    }

    /// <summary>
    /// The charset of the Content-Type header wins over the page's own meta tag (HTML Living Standard 13.2.3.1);
    /// without one, or with one .NET does not know, the parser sniffs the bytes.
    /// </summary>
    private static IDocument ParseHtml(FetchResult page)
    {
        var parser = new HtmlParser();
        if (MediaTypeHeaderValue.TryParse(page.ContentType, out var mediaType) && mediaType.CharSet is { } charset)
        {
            try
            {
                return parser.ParseDocument(Encoding.GetEncoding(charset.Trim('"')).GetString(page.Content));
            }
            catch (ArgumentException)
            {
                // An unknown charset name: fall through to sniffing.
            }
        }

        return parser.ParseDocument(new MemoryStream(page.Content, writable: false));
    }

    /// <summary>People paste "example.com/blog"; a URL without a scheme means https, never a local file.</summary>
    private static string WithScheme(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out _) || url.StartsWith('/') ? url : $"https://{url}";

    private async Task<bool> IsFeedAsync(Uri candidate, CancellationToken cancellationToken)
    {
        var result = await fetcher.FetchAsync(new FetchRequest(candidate.AbsoluteUri), cancellationToken);
        return result.Status == FetchStatus.Ok && FeedSniffer.LooksLikeFeed(result.Content);
    }

    /// <summary>Relative URLs resolve against &lt;base href&gt; when the page has one (HTML Living Standard 4.2.3).</summary>
    private static Uri BaseOf(IDocument document, Uri pageUri) =>
        document.QuerySelector("base[href]")?.GetAttribute("href") is { } href && Uri.TryCreate(pageUri, href, out var baseUri)
            ? baseUri
            : pageUri;

    private static IEnumerable<DiscoveredFeed> AdvertisedFeeds(IDocument document, Uri baseUri) =>
        from link in document.QuerySelectorAll("link[rel][href][type]")
        where link.GetAttribute("rel")!.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Contains("alternate", StringComparer.OrdinalIgnoreCase)
        where FeedMediaTypes.Contains(link.GetAttribute("type")!.Split(';')[0].Trim(), StringComparer.OrdinalIgnoreCase)
        let url = Resolve(baseUri, link.GetAttribute("href")!)
        where url is not null
        select new DiscoveredFeed(url, NullIfBlank(link.GetAttribute("title")));

    private static IEnumerable<DiscoveredFeed> FeedLikeLinks(IDocument document, Uri baseUri) =>
        from anchor in document.QuerySelectorAll("a[href]")
        let url = Resolve(baseUri, anchor.GetAttribute("href")!)
        where url is not null && LooksLikeFeedUrl(url)
        select new DiscoveredFeed(url, NullIfBlank(anchor.TextContent));

    /// <summary>Feed-ish names (/feed, /rss.xml, *.atom …) or a feed host such as feeds.feedburner.com.</summary>
    private static bool LooksLikeFeedUrl(Uri url)
    {
        var name = url.AbsolutePath.TrimEnd('/');
        name = name[(name.LastIndexOf('/') + 1)..];
        return FeedFileNames.Contains(name, StringComparer.OrdinalIgnoreCase)
            || name.EndsWith(".rss", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".atom", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".rdf", StringComparison.OrdinalIgnoreCase)
            || url.Host.StartsWith("feeds.", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The usual paths, first beside the page (a blog in a sub-folder), then at the site root.</summary>
    private static IEnumerable<Uri> CommonPathCandidates(Uri pageUri)
    {
        var folder = new Uri(pageUri, "./");
        var root = new Uri(pageUri, "/");
        var folders = folder == root ? [root] : new[] { folder, root };
        return folders.SelectMany(f => CommonPaths.Select(path => new Uri(f, path))).Distinct();
    }

    private static Uri? Resolve(Uri baseUri, string href) =>
        Uri.TryCreate(baseUri, href.Trim(), out var url) && url.Scheme is "http" or "https" ? url : null;

    private static List<DiscoveredFeed> Distinct(IEnumerable<DiscoveredFeed> feeds) =>
        feeds.DistinctBy(feed => feed.Url.AbsoluteUri).ToList();

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
