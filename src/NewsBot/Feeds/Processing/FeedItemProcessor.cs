using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NewsBot.Feeds.Parsing;
using NewsBot.Text;

namespace NewsBot.Feeds.Processing;

/// <summary>Turns parsed items into <see cref="ProcessedItem"/>s: identity keys, canonical URLs, plain text. Sanitising runs last.</summary>
public sealed class FeedItemProcessor
{
    public IReadOnlyList<ProcessedItem> Process(ParsedFeed feed, Uri? feedUri)
    {
        // A GUID shared by several items of one feed identifies none of them (CMS bugs, "guid = site URL").
        // Counting first keeps the decision independent of the items' order between polls.
        var guidCounts = feed.Items
            .Select(i => GuidKey(i.Id))
            .OfType<string>()
            .GroupBy(g => g, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        var items = new List<ProcessedItem>(feed.Items.Count);
        foreach (var item in feed.Items)
        {
            var url = UrlCanonicalizer.Canonicalize(item.Link, feedUri);
            var title = HtmlText.ToPlainText(item.Title) ?? HtmlText.ToPlainText(item.Summary)?.Truncate(120) ?? url;
            if (title is null)
            {
                // Nothing to show and nothing to link to: not an article.
                continue;
            }

            var keys = new List<string>(3);
            if (GuidKey(item.Id) is { } guid && guidCounts[guid] == 1)
            {
                keys.Add(guid);
            }

            if (url is not null)
            {
                keys.Add("url:" + UrlCanonicalizer.IdentityOf(url));
            }

            keys.Add("hash:" + ContentHash(title, item.Published ?? item.Updated));
            items.Add(new ProcessedItem
            {
                Keys = keys,
                Url = url,
                Title = title,
                Author = HtmlText.ToPlainText(item.Author),
                Teaser = HtmlText.ToPlainText(item.Summary ?? item.Content)?.Truncate(600),
                ContentHtml = item.Content,
                PublishedAt = item.Published ?? item.Updated,
                UpdatedAt = item.Updated,
                // The label is what people read; items merging several vocabularies may repeat one.
                Categories = item.Categories.Select(c => c.Name).Distinct(StringComparer.Ordinal).ToList(),
                Language = item.Language ?? feed.Language,
                ImageUrl = ArticleImage.Accept(item.ImageUrl, feedUri),
            });
        }

        return items;
    }

    private static string? GuidKey(string? id) => string.IsNullOrWhiteSpace(id) ? null : "guid:" + id.Trim();

    /// <summary>
    /// Title (case and spacing folded) and publication day: the last resort for items with neither GUID nor link.
    /// The day, not the time, so a publisher re-stamping the time of an item does not make it new.
    /// </summary>
    private static string ContentHash(string title, DateTimeOffset? published)
    {
        var folded = string.Join(' ', title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        var day = published?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(folded + "\n" + day)).AsSpan(0, 16));
    }
}
