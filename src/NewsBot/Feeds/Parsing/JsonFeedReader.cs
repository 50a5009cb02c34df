using System.Text.Json;
using NewsBot.Text;

namespace NewsBot.Feeds.Parsing;

/// <summary>JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/).</summary>
internal static class JsonFeedReader
{
    public static FeedParseResult Read(ReadOnlyMemory<char> text, Uri? baseUri, string encoding)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            return FeedParseResult.Failure($"feed.parse_failed: invalid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            // Some publishers write a bare "1.0" as the version; an items array still makes it a JSON Feed.
            if (root.ValueKind != JsonValueKind.Object
                || !((String(root, "version")?.Contains("jsonfeed.org", StringComparison.OrdinalIgnoreCase) ?? false)
                    || (root.TryGetProperty("items", out var candidateItems) && candidateItems.ValueKind == JsonValueKind.Array)))
            {
                return FeedParseResult.Failure("feed.unknown_format: JSON without a JSON Feed version");
            }

            var items = root.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object).Select(i => ReadItem(i, baseUri, AuthorOf(root))).ToList()
                : [];
            return FeedParseResult.Success(new ParsedFeed
            {
                Format = FeedFormat.Json,
                Version = VersionOf(String(root, "version")),
                Title = HtmlText.ToPlainText(String(root, "title")),
                Link = Absolute(String(root, "home_page_url"), baseUri),
                Description = HtmlText.ToPlainText(String(root, "description")),
                Language = String(root, "language"),
                SelfUrl = Absolute(String(root, "feed_url"), baseUri),
                NextUrl = Absolute(String(root, "next_url"), baseUri),
                Id = String(root, "feed_url"),
                Author = AuthorOf(root),
                ImageUrl = Absolute(String(root, "icon") ?? String(root, "favicon"), baseUri),

                // JSON Feed has no feed-level date: the feed changed when its latest item did.
                Updated = items.Select(i => i.Updated ?? i.Published).Max(),
                Encoding = encoding,
                Items = items,
            });
        }
    }

    /// <param name="feedAuthor">JSON Feed: an item without an author has the feed's.</param>
    private static ParsedItem ReadItem(JsonElement item, Uri? baseUri, string? feedAuthor)
    {
        var contentHtml = String(item, "content_html");
        var contentText = String(item, "content_text");
        return new ParsedItem
        {
            Id = item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetRawText() : String(item, "id"),
            Title = HtmlText.ToPlainText(String(item, "title")),
            Link = Absolute(String(item, "url") ?? String(item, "external_url"), baseUri),
            Published = FeedDateParser.Parse(String(item, "date_published")),
            Updated = FeedDateParser.Parse(String(item, "date_modified")),
            Author = AuthorOf(item) ?? feedAuthor,
            Summary = HtmlText.ToPlainText(String(item, "summary")),
            Content = contentHtml ?? contentText,
            Categories = item.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
                ? XmlFeedValues.Categories(tags.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String ? t.GetString() : null))
                : [],
            Enclosures = Attachments(item, baseUri),
            Language = String(item, "language"),
            ImageUrl = ArticleImage.Accept(String(item, "image"), baseUri) ?? ArticleImage.Accept(String(item, "banner_image"), baseUri)
                ?? HtmlImages.First(contentHtml, baseUri),
        };
    }

    /// <summary>
    /// The number of the version URL as written ("https://jsonfeed.org/version/1.1" is "1.1"); version 1 is "1.0".
    /// A bare number stays as it is.
    /// </summary>
    private static string? VersionOf(string? version)
    {
        var number = version?[(version.LastIndexOf('/') + 1)..];
        return string.IsNullOrEmpty(number) || number.Contains('.', StringComparison.Ordinal) ? number : number + ".0";
    }

    private static List<Enclosure> Attachments(JsonElement item, Uri? baseUri)
    {
        var enclosures = new List<Enclosure>();
        if (!item.TryGetProperty("attachments", out var attachments) || attachments.ValueKind != JsonValueKind.Array)
        {
            return enclosures;
        }

        foreach (var attachment in attachments.EnumerateArray())
        {
            if (attachment.ValueKind == JsonValueKind.Object && Absolute(String(attachment, "url"), baseUri) is { } url)
            {
                long? size = attachment.TryGetProperty("size_in_bytes", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var bytes) ? bytes : null;
                enclosures.Add(new Enclosure(url, String(attachment, "mime_type"), size));
            }
        }

        return enclosures;
    }

    /// <summary>Version 1.0 "author", else 1.1 "authors" (feeds that carry both keep 1.0 readers working with the first).</summary>
    private static string? AuthorOf(JsonElement element)
    {
        if (element.TryGetProperty("author", out var single) && single.ValueKind == JsonValueKind.Object && String(single, "name") is { } singleName)
        {
            return singleName;
        }

        if (element.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array)
        {
            foreach (var author in authors.EnumerateArray())
            {
                if (author.ValueKind == JsonValueKind.Object && String(author, "name") is { } name)
                {
                    return name;
                }
            }
        }

        return null;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? XmlFeedValues.NonEmpty(value.GetString()) : null;

    private static string? Absolute(string? link, Uri? baseUri) => FeedLinks.ResolveText(baseUri, link);
}
