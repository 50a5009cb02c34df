using System.Text.Encodings.Web;
using System.Text.Json;

namespace NewsBot.Feeds.Parsing;

/// <summary>The JSON contract of <c>newsbot parse</c>.</summary>
public static class FeedJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(ParsedFeed feed, string? file) => Write(writer =>
    {
        if (file is not null)
        {
            writer.WriteString("file", file);
        }

        writer.WriteString("format", feed.Format.ToString().ToLowerInvariant());
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
            writer.WriteString("published", item.Published?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("updated", item.Updated?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("author", item.Author);
            writer.WriteString("summary", item.Summary);
            writer.WriteString("content", item.Content);
            writer.WriteStartArray("categories");
            item.Categories.ToList().ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
            writer.WriteStartArray("enclosures");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    public static string ErrorJson(string? file, string reason) => Write(writer =>
    {
        writer.WriteString("file", file);
        writer.WriteString("error", reason);
    });

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
