using System.Globalization;
using NewsBot.Reading;

namespace NewsBot.Cli;

/// <summary>The JSON printed by `newsbot extract`: one object, text paragraphs separated by a blank line, dates in ISO 8601 UTC.</summary>
public static class ExtractedArticleJson
{
    public static string ToJson(ExtractedArticle article, string? url, string? file)
    {
        ArgumentNullException.ThrowIfNull(article);
        return JsonText.Object(indented: file is null, writer =>
        {
            if (file is not null)
            {
                writer.WriteString("file", file);
            }

            writer.WriteString("url", url);
            writer.WriteString("title", article.Title);
            writer.WriteString("byline", article.Byline);
            writer.WriteString("published", article.Published?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("language", article.Language);
            writer.WriteString("image", article.ImageUrl);
            writer.WriteString("text", article.Text);
            writer.WriteStartArray("related");
            foreach (var link in article.Related)
            {
                writer.WriteStartObject();
                writer.WriteString("title", link.Title);
                writer.WriteString("url", link.Url);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("topics");
            foreach (var topic in article.TopicCandidates)
            {
                writer.WriteStringValue(topic);
            }

            writer.WriteEndArray();
        });
    }
}
