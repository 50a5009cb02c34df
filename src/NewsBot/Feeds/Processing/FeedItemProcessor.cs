using System.Security.Cryptography;
using System.Text;
using NewsBot.Feeds.Parsing;

namespace NewsBot.Feeds.Processing;

/// <summary>Turns parsed items into <see cref="ProcessedItem"/>s: ids, canonical URLs, plain text. Sanitising runs last.</summary>
public sealed class FeedItemProcessor
{
    public IReadOnlyList<ProcessedItem> Process(ParsedFeed feed, Uri? feedUri)
    {
        var items = new List<ProcessedItem>(feed.Items.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in feed.Items)
        {
            var url = UrlCanonicalizer.Canonicalize(item.Link, feedUri);
            var title = HtmlText.ToPlainText(item.Title) ?? HtmlText.ToPlainText(item.Summary)?.Truncate(120) ?? url;
            if (title is null)
            {
                continue;
            }

            var keys = new List<string>(3);
            if (!string.IsNullOrWhiteSpace(item.Id))
            {
                keys.Add("guid:" + item.Id.Trim());
            }

            if (url is not null)
            {
                keys.Add("url:" + UrlCanonicalizer.IdentityOf(url));
            }

            keys.Add("hash:" + Hash(title + "\n" + item.Published?.ToString("O")));
            if (!seen.Add(keys[0]))
            {
                // A GUID repeated inside one feed: keep the items apart by their next key.
                keys.RemoveAt(0);
            }

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
                Categories = item.Categories,
                Language = item.Language ?? feed.Language,
                ImageUrl = item.ImageUrl,
            });
        }

        return items;
    }

    private static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 16));
}
