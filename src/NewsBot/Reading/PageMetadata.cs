using System.Globalization;
using System.Text.Json;
using AngleSharp.Dom;
using NewsBot.Text;

namespace NewsBot.Reading;

/// <summary>Article facts a page states about itself: meta tags (Open Graph, Dublin Core, article:*), JSON-LD and plain markup.</summary>
internal sealed record PageMetadata
{
    public string? Title { get; init; }
    public string? Byline { get; init; }
    public DateTimeOffset? Published { get; init; }
    public string? ImageUrl { get; init; }
    public string? Language { get; init; }
    public string? CanonicalUrl { get; init; }
    /// <summary>JSON-LD articleBody: a strong hint of where the text is, and a fallback when the markup hides it.</summary>
    public string? ArticleBody { get; init; }
    public IReadOnlyList<string> Keywords { get; init; } = [];

    private static readonly JsonDocumentOptions JsonOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static PageMetadata Read(IDocument document, Uri? baseUri)
    {
        var meta = MetaValues(document);
        var ld = LinkedData.Find(document);
        string? First(params string[] keys) => keys.Select(key => meta.GetValueOrDefault(key)).FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));

        var title = ld?.Headline ?? First("og:title", "twitter:title", "dc.title", "title")
            ?? Clean(document.QuerySelector("h1")?.TextContent) ?? Clean(document.Title);
        var authorMeta = First("author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author");
        if (authorMeta is not null && Uri.IsWellFormedUriString(authorMeta, UriKind.Absolute))
        {
            authorMeta = null;
        }

        var byline = ld?.Author ?? authorMeta
            ?? Clean(document.QuerySelector("[rel~=author], [itemprop=author] [itemprop=name], [itemprop=author], .byline, .author")?.TextContent);
        var published = ParseDate(First("article:published_time", "datepublished", "og:published_time", "published_time",
                "pubdate", "publishdate", "date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date"))
            ?? ParseDate(ld?.DatePublished)
            ?? ParseDate(document.QuerySelector("[itemprop=datePublished]")?.GetAttribute("content"))
            ?? ParseDate(document.QuerySelector("time[datetime]")?.GetAttribute("datetime"));
        var image = ImageCandidates(meta, ld, document).Select(candidate => ArticleImage.Accept(candidate, baseUri)).FirstOrDefault(url => url is not null);
        var language = Clean(document.DocumentElement.GetAttribute("lang")) ?? ld?.Language
            ?? First("og:locale", "content-language", "language", "dc.language")?.Replace('_', '-');
        var canonical = document.QuerySelector("link[rel=canonical]")?.GetAttribute("href") ?? First("og:url");
        var keywords = new[] { "keywords", "news_keywords" }
            .SelectMany(key => (meta.GetValueOrDefault(key) ?? string.Empty).Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Concat(document.QuerySelectorAll("meta[property='article:tag']").Select(tag => tag.GetAttribute("content")?.Trim() ?? string.Empty))
            .Where(keyword => keyword.Length is > 0 and <= 60)
            .ToList();

        return new PageMetadata
        {
            Title = Clean(title),
            Byline = Clean(byline) is { Length: <= 120 } name ? name : null,
            Published = published,
            ImageUrl = image,
            Language = Clean(language?.Split(',')[0]),
            CanonicalUrl = Absolute(canonical, baseUri),
            ArticleBody = ld?.ArticleBody,
            Keywords = keywords,
        };
    }

    /// <summary>
    /// Picture URLs in order of trust: Open Graph (unless it declares itself pixel-sized), Twitter card, JSON-LD,
    /// image_src. Lazy, so a page with og:image is never searched for the rest.
    /// </summary>
    private static IEnumerable<string?> ImageCandidates(Dictionary<string, string> meta, LinkedData? ld, IDocument document)
    {
        if (ArticleImage.IsSizeable(meta.GetValueOrDefault("og:image:width"), meta.GetValueOrDefault("og:image:height")))
        {
            yield return meta.GetValueOrDefault("og:image");
            yield return meta.GetValueOrDefault("og:image:url");
            yield return meta.GetValueOrDefault("og:image:secure_url");
        }

        yield return meta.GetValueOrDefault("twitter:image");
        yield return meta.GetValueOrDefault("twitter:image:src");
        yield return ld?.Image;
        yield return document.QuerySelector("link[rel=image_src]")?.GetAttribute("href");
    }

    public static string? Absolute(string? link, Uri? baseUri)
    {
        if (string.IsNullOrWhiteSpace(link))
        {
            return null;
        }

        var trimmed = link.Trim();
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute.ToString();
        }

        if (baseUri is { IsFile: true })
        {
            // Local sample pages: a file has no query or fragment, so "page.html?utm_source=x#top" means page.html.
            trimmed = trimmed.Split('?', '#')[0];
        }

        return baseUri is not null && trimmed.Length > 0 && Uri.TryCreate(baseUri, trimmed, out var resolved) && resolved.Scheme is "http" or "https" or "file"
            ? resolved.ToString()
            : null;
    }

    /// <summary>No news page was published before this: earlier dates are CMS placeholders ("0001-01-01T00:00:00Z").</summary>
    public static readonly DateTimeOffset EarliestPublished = new(1995, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset? ParseDate(string? text) =>
        !string.IsNullOrWhiteSpace(text)
        && DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
        && value >= EarliestPublished
            ? value.ToUniversalTime()
            : null;

    private static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static Dictionary<string, string> MetaValues(IDocument document)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var meta in document.QuerySelectorAll("meta"))
        {
            var content = meta.GetAttribute("content");
            if (string.IsNullOrWhiteSpace(content))
            {
                continue;
            }

            // property may hold several space-separated names (RDFa), e.g. "og:title dc:title".
            var names = $"{meta.GetAttribute("property")} {meta.GetAttribute("name")} {meta.GetAttribute("itemprop")} {meta.GetAttribute("http-equiv")}";
            foreach (var name in names.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                values.TryAdd(name.Replace("dc:", "dc.", StringComparison.OrdinalIgnoreCase), content.Trim());
            }
        }

        return values;
    }

    /// <summary>The schema.org Article object of a page's JSON-LD blocks (searched through arrays and @graph).</summary>
    private sealed record LinkedData(string? Headline, string? Author, string? DatePublished, string? Image, string? Language, string? ArticleBody)
    {
        public static LinkedData? Find(IDocument document)
        {
            foreach (var script in document.QuerySelectorAll("script[type='application/ld+json']"))
            {
                JsonDocument json;
                try
                {
                    json = JsonDocument.Parse(script.TextContent, JsonOptions);
                }
                catch (JsonException)
                {
                    // Pages often carry broken JSON-LD; the other metadata sources still apply.
                    continue;
                }

                using (json)
                {
                    if (FindArticle(json.RootElement, 0) is { } article)
                    {
                        return From(article);
                    }
                }
            }

            return null;
        }

        private static JsonElement? FindArticle(JsonElement element, int depth)
        {
            if (depth > 4)
            {
                return null;
            }

            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    if (FindArticle(item, depth + 1) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (element.TryGetProperty("@type", out var type) && IsArticleType(type))
            {
                return element;
            }

            return element.TryGetProperty("@graph", out var graph) ? FindArticle(graph, depth + 1) : null;
        }

        private static bool IsArticleType(JsonElement type) => type.ValueKind switch
        {
            JsonValueKind.String => type.GetString() is { } name
                && (name.EndsWith("Article", StringComparison.Ordinal) || name is "BlogPosting" or "Report" or "LiveBlogPosting" or "Review"),
            JsonValueKind.Array => type.EnumerateArray().Any(IsArticleType),
            _ => false,
        };

        private static LinkedData From(JsonElement article) => new(
            Text(article, "headline") ?? Text(article, "name"),
            Name(article, "author"),
            Text(article, "datePublished") ?? Text(article, "dateCreated"),
            Name(article, "image", "url"),
            Text(article, "inLanguage"),
            Text(article, "articleBody"));

        private static string? Text(JsonElement element, string property) =>
            element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
                ? value.GetString()!.Trim()
                : null;

        /// <summary>A property that may be a string, an object with a name (or url), or a list of either; lists are joined.</summary>
        private static string? Name(JsonElement element, string property, string key = "name")
        {
            if (!element.TryGetProperty(property, out var value))
            {
                return null;
            }

            var names = (value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value])
                .Select(item => item.ValueKind switch
                {
                    JsonValueKind.String => item.GetString(),
                    JsonValueKind.Object => Text(item, key),
                    _ => null,
                })
                .Where(name => !string.IsNullOrWhiteSpace(name))
                .Distinct()
                .ToList();
            return names.Count == 0 ? null : key == "url" ? names[0] : string.Join(", ", names);
        }
    }
}
