using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NewsBot.Feeds.Parsing;

namespace NewsBot.Cli;

/// <summary>The JSON printed by <c>newsbot parse</c>: one object per file, dates in ISO 8601 UTC.</summary>
public static class FeedJson
{
    // A CLI prints for people and scripts: keep non-ASCII text readable instead of \u-escaped.
    public static string ToJson(ParsedFeed feed, string? file) => JsonText.Object(indented: file is null, writer =>
    {
        WriteFile(writer, file);
        writer.WriteString("format", FormatName(feed.Format));
        writer.WriteString("version", feed.Version);
        writer.WriteString("title", feed.Title);
        writer.WriteString("link", feed.Link);
        writer.WriteString("language", feed.Language);
        writer.WriteStartArray("items");
        foreach (var item in feed.Items)
        {
            writer.WriteStartObject();
            writer.WriteString("id", item.Id);
            writer.WriteString("title", item.Title);
            writer.WriteString("link", item.Link);
            writer.WriteString("published", Date(item.Published));
            writer.WriteString("updated", Date(item.Updated));
            writer.WriteString("author", item.Author);
            writer.WriteString("summary", item.Summary);
            writer.WriteString("content", item.Content);
            writer.WriteString("image", item.ImageUrl);
            writer.WriteStartArray("categories");
            foreach (var category in item.Categories)
            {
                writer.WriteStringValue(category.Name);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("enclosures");
            foreach (var enclosure in item.Enclosures)
            {
                writer.WriteStartObject();
                writer.WriteString("url", enclosure.Url);
                writer.WriteString("type", enclosure.Type);
                if (enclosure.Length is { } length)
                {
                    writer.WriteNumber("length", length);
                }
                else
                {
                    writer.WriteNull("length");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    public static string ErrorJson(string? file, string reason) => JsonText.Object(indented: false, writer =>
    {
        WriteFile(writer, file);
        writer.WriteString("error", reason);
    });

    public static string FormatName(FeedFormat format) => format switch
    {
        FeedFormat.Rss2 => "rss2",
        FeedFormat.Rss1 => "rss1",
        FeedFormat.Rss09 => "rss09",
        FeedFormat.HtmlPage => "html",
        FeedFormat.Atom10 => "atom10",
        FeedFormat.Atom03 => "atom03",
        FeedFormat.Json => "json",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private static void WriteFile(Utf8JsonWriter writer, string? file)
    {
        if (file is not null)
        {
            writer.WriteString("file", file);
        }
    }

    /// <summary>ISO 8601 UTC with the fraction of a second when the feed gave one.</summary>
    public static string? Date(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
