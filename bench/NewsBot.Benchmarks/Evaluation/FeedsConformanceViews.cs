using System.Globalization;
using System.Text.Json.Nodes;
using NewsBot.Cli;
using NewsBot.Feeds.Parsing;
using NewsBot.Text;

namespace NewsBot.Benchmarks.Evaluation;

/// <summary>
/// Our <see cref="ParsedFeed"/> shown in each reference library's vocabulary. A view defines exactly the keys
/// NewsBot models (null when the feed has no value): an assertion reaching a key outside the view is about something
/// NewsBot does not model, and <see cref="FeedsAssertions"/> counts it as not applicable.
/// </summary>
internal static class FeedsConformanceViews
{
    public static JsonObject Feedparser(ParsedFeed? parsed)
    {
        var feed = parsed ?? new ParsedFeed();
        return new JsonObject
        {
            ["version"] = parsed is null ? string.Empty : FeedparserVersion(feed.Format),
            ["feed"] = new JsonObject
            {
                ["title"] = feed.Title,
                ["title_detail"] = new JsonObject { ["value"] = feed.Title },
                ["link"] = feed.Link,
                ["language"] = feed.Language,
                ["subtitle"] = feed.Description,
                ["subtitle_detail"] = new JsonObject { ["value"] = feed.Description },
                ["id"] = feed.Id,
                ["author"] = feed.Author,
                ["updated"] = Iso(feed.Updated),
                ["updated_parsed"] = StructTime(feed.Updated),
                ["image"] = new JsonObject { ["href"] = feed.ImageUrl },
            },
            ["entries"] = new JsonArray([.. feed.Items.Select(FeedparserEntry)]),
        };
    }

    private static JsonObject FeedparserEntry(ParsedItem item)
    {
        // feedparser 6 falls back from updated to published (its deprecated "updated" alias).
        var updated = item.Updated ?? item.Published;
        return new JsonObject
        {
            ["title"] = item.Title,
            ["title_detail"] = new JsonObject { ["value"] = item.Title },
            ["link"] = item.Link,
            ["id"] = item.Id,
            ["published"] = Iso(item.Published),
            ["published_parsed"] = StructTime(item.Published),
            ["updated"] = Iso(updated),
            ["updated_parsed"] = StructTime(updated),
            ["author"] = item.Author,
            // feedparser fills summary from the content when an item has no description of its own.
            ["summary"] = item.Summary ?? HtmlText.ToPlainText(item.Content),
            ["summary_detail"] = new JsonObject { ["value"] = item.Summary ?? HtmlText.ToPlainText(item.Content) },
            ["content"] = item.Content is null ? new JsonArray() : new JsonArray(new JsonObject { ["value"] = item.Content }),
            ["tags"] = FeedparserTags(item.Categories),
            ["category"] = item.Categories.Count > 0 ? item.Categories[0].Term : null,
            ["enclosures"] = new JsonArray([.. item.Enclosures.Select(e => new JsonObject
            {
                ["href"] = e.Url,
                ["type"] = e.Type,
                ["length"] = e.Length?.ToString(CultureInfo.InvariantCulture),
            })]),
            ["image"] = new JsonObject { ["href"] = item.ImageUrl },
        };
    }

    private static JsonArray FeedparserTags(IReadOnlyList<FeedCategory> categories) =>
        new([.. categories.Select(c => new JsonObject { ["term"] = c.Term, ["scheme"] = c.Scheme, ["label"] = c.Label })]);

    /// <summary>feedparser names sub-versions we do not tell apart (rss091u/rss092/…); see <see cref="FeedsAssertions"/>.</summary>
    private static string FeedparserVersion(FeedFormat format) => format switch
    {
        FeedFormat.Rss2 => "rss20",
        FeedFormat.Rss1 => "rss10",
        FeedFormat.Rss09 => "rss09x",
        FeedFormat.Atom10 => "atom10",
        FeedFormat.Atom03 => "atom03",
        _ => "json1",
    };

    /// <summary>gofeed: the universal model (feedType/items) and its format-specific rss/atom/json models.</summary>
    public static JsonObject Gofeed(ParsedFeed? feed, string? error, string model)
    {
        if (feed is null)
        {
            return new JsonObject { ["error"] = error, ["feedType"] = "unknown" };
        }

        var feedType = feed.Format switch
        {
            FeedFormat.Atom10 or FeedFormat.Atom03 => "atom",
            FeedFormat.Json => "json",
            _ => "rss",
        };
        var author = new JsonObject { ["name"] = feed.Author };
        var view = new JsonObject
        {
            ["error"] = null,
            ["feedType"] = feedType,
            ["title"] = feed.Title,
            ["description"] = feed.Description,
            ["subtitle"] = feed.Description,
            ["link"] = feed.Link,
            ["feedLink"] = feed.SelfUrl,
            ["language"] = feed.Language,
            ["id"] = feed.Id,
            ["updated"] = Iso(feed.Updated),
            ["updatedParsed"] = Iso(feed.Updated),
            ["image"] = new JsonObject { ["url"] = feed.ImageUrl },
            ["author"] = author,
            // NewsBot keeps one author: the list always has that one element (its count is not compared).
            ["authors"] = new JsonArray(author.DeepClone()),
        };
        var items = new JsonArray([.. feed.Items.Select(item => GofeedItem(item, model))]);
        if (model.StartsWith("gofeed/atom", StringComparison.Ordinal))
        {
            view["entries"] = items;
        }
        else
        {
            view["items"] = items;
        }

        view["version"] = feed.Version;
        view["feedVersion"] = feed.Version;
        return view;
    }

    private static JsonObject GofeedItem(ParsedItem item, string model)
    {
        var author = new JsonObject { ["name"] = item.Author };

        // gofeed reads a lone date as both published and updated.
        var published = Iso(item.Published ?? item.Updated);
        var updated = Iso(item.Updated ?? item.Published);
        var isRssModel = model.StartsWith("gofeed/rss", StringComparison.Ordinal);
        var isAtomModel = model.StartsWith("gofeed/atom", StringComparison.Ordinal);
        return new JsonObject
        {
            ["title"] = item.Title,
            ["description"] = item.Summary,
            ["summary"] = item.Summary,
            ["content"] = isAtomModel ? new JsonObject { ["value"] = item.Content } : item.Content,
            ["content_html"] = item.Content,
            ["link"] = item.Link,
            ["url"] = item.Link,
            ["id"] = item.Id,
            ["guid"] = isRssModel ? new JsonObject { ["value"] = item.Id } : item.Id,
            ["published"] = published,
            ["publishedParsed"] = published,
            ["pubDate"] = published,
            ["date_published"] = published,
            ["updated"] = updated,
            ["updatedParsed"] = updated,
            ["date_modified"] = updated,
            ["author"] = isRssModel ? item.Author : author,
            ["authors"] = new JsonArray(author.DeepClone()),
            ["categories"] = GofeedCategories(item.Categories, model),
            ["tags"] = new JsonArray([.. item.Categories.Select(c => JsonValue.Create(c.Term))]),
            ["enclosures"] = new JsonArray([.. item.Enclosures.Select(e => new JsonObject
            {
                ["url"] = e.Url,
                ["type"] = e.Type,
                ["length"] = e.Length?.ToString(CultureInfo.InvariantCulture),
            })]),
            ["image"] = model.StartsWith("gofeed/json", StringComparison.Ordinal) ? item.ImageUrl : new JsonObject { ["url"] = item.ImageUrl },
        };
    }

    /// <summary>
    /// gofeed's RSS model keeps {value, domain}, its Atom model {term, label, scheme}; the universal model shows the
    /// label when there is one, as NewsBot does.
    /// </summary>
    private static JsonArray GofeedCategories(IReadOnlyList<FeedCategory> categories, string model) =>
        new([.. categories.Select(c => model.StartsWith("gofeed/rss", StringComparison.Ordinal)
            ? new JsonObject { ["value"] = c.Term, ["domain"] = c.Scheme }
            : model.StartsWith("gofeed/atom", StringComparison.Ordinal)
                ? new JsonObject { ["term"] = c.Term, ["label"] = c.Label, ["scheme"] = c.Scheme }
                : (JsonNode?)JsonValue.Create(c.Name))]);

    /// <summary>feed-rs: feed_type, text constructs as {content}, links as [{href}], dates as ISO strings.</summary>
    public static JsonObject FeedRs(ParsedFeed? feed)
    {
        feed ??= new ParsedFeed();
        return new JsonObject
        {
            ["feed_type"] = feed.Format switch
            {
                FeedFormat.Rss2 => "RSS2",
                FeedFormat.Rss1 => "RSS1",
                FeedFormat.Rss09 => "RSS0",
                FeedFormat.Json => "JSON",
                _ => "Atom",
            },
            ["id"] = feed.Id,
            ["title"] = TextConstruct(feed.Title),
            ["description"] = TextConstruct(feed.Description),
            ["language"] = feed.Language,
            ["updated"] = Iso(feed.Updated),
            ["logo"] = new JsonObject { ["uri"] = feed.ImageUrl },
            ["authors"] = feed.Author is null ? new JsonArray() : new JsonArray(new JsonObject { ["name"] = feed.Author }),
            ["ttl"] = feed.UpdateInterval is { } interval ? (long)interval.TotalMinutes : null,
            ["entries"] = new JsonArray([.. feed.Items.Select(item => new JsonObject
            {
                ["id"] = item.Id,
                ["title"] = TextConstruct(item.Title),
                ["summary"] = TextConstruct(item.Summary),
                ["content"] = new JsonObject { ["body"] = item.Content },
                ["links"] = EntryLinks(item),
                ["published"] = Iso(item.Published),

                // feed-rs, like feedparser, reports an RSS pubDate as the entry's updated time too.
                ["updated"] = Iso(item.Updated ?? item.Published),
                ["authors"] = item.Author is null ? new JsonArray() : new JsonArray(new JsonObject { ["name"] = item.Author }),
                ["categories"] = FeedRsCategories(item.Categories),
                ["language"] = item.Language,
            })]),
        };
    }

    private static JsonArray FeedRsCategories(IReadOnlyList<FeedCategory> categories) =>
        new([.. categories.Select(c => new JsonObject { ["term"] = c.Term, ["label"] = c.Label, ["scheme"] = c.Scheme })]);

    private static JsonArray EntryLinks(ParsedItem item)
    {
        var links = new JsonArray();
        if (item.Link is not null)
        {
            links.Add(new JsonObject { ["href"] = item.Link, ["rel"] = "alternate" });
        }

        foreach (var enclosure in item.Enclosures)
        {
            links.Add(new JsonObject { ["href"] = enclosure.Url, ["rel"] = "enclosure" });
        }

        return links;
    }

    private static JsonObject? TextConstruct(string? text) => text is null ? null : new JsonObject { ["content"] = text };

    private static string? Iso(DateTimeOffset? value) => FeedJson.Date(value);

    /// <summary>Python's time.struct_time in UTC: year, month, day, hour, minute, second, weekday (Mon=0), yearday, isdst=0.</summary>
    private static JsonArray? StructTime(DateTimeOffset? value)
    {
        if (value is null)
        {
            return null;
        }

        var t = value.Value.UtcDateTime;
        return new JsonArray(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, ((int)t.DayOfWeek + 6) % 7, t.DayOfYear, 0);
    }
}
