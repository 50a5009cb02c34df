using System.Globalization;
using System.Text;
using NewsBot.Commands;
using NewsBot.Model;

namespace NewsBot.Platforms.Console;

/// <summary>Posts and replies as plain terminal text. Feed text is untrusted: control characters (escape sequences) are removed.</summary>
public static class ConsoleRenderer
{
    private const string Rule = "────────────────────────────────────────────────────────────";

    public static string RenderPost(Post post)
    {
        var text = new StringBuilder();
        text.AppendLine(Rule);
        text.AppendLine(Clean(post.Title));
        text.AppendLine($"{Clean(post.SourceName)} · {FormatTime(post.PublishedAt)} · id {post.ShortId}");
        if (post.Url is not null)
        {
            text.AppendLine(Clean(post.Url));
        }

        if (post.Format == PostFormat.Full)
        {
            if (post.Summary is not null)
            {
                text.AppendLine().AppendLine(Clean(post.Summary));
            }

            if (post.Topics.Count > 0)
            {
                text.AppendLine().AppendLine("Topics: " + string.Join(", ", post.Topics.Select(Clean)));
            }

            AppendLinks(text, "Related", post.Related);
            AppendLinks(text, "Also covered by", post.AlsoCoveredBy);
        }

        return text.ToString();
    }

    public static string RenderDigest(DigestPost digest)
    {
        var text = new StringBuilder();
        text.AppendLine(Rule);
        text.AppendLine(Clean(digest.Heading));
        foreach (var item in digest.Items)
        {
            text.AppendLine($"  • {Clean(item.Title)} ({Clean(item.SourceName)}, id {item.ShortId})");
            if (item.Url is not null)
            {
                text.AppendLine($"    {Clean(item.Url)}");
            }
        }

        if (digest.More is not null)
        {
            text.AppendLine($"  … {Clean(digest.More)}");
        }

        return text.ToString();
    }

    /// <summary>A post in a subscription's own layout: the template's text as rendered, markup and all.</summary>
    public static string RenderTemplated(string rendered) => Rule + Environment.NewLine + Clean(rendered).TrimEnd() + Environment.NewLine;

    /// <param name="compose">Lays out a <see cref="ReplyPostPreview"/> as the console posts it; the built-in card when not given.</param>
    public static string RenderReply(CommandReply reply, Func<Post, string, string>? compose = null)
    {
        var text = new StringBuilder();
        foreach (var block in reply.Blocks)
        {
            switch (block)
            {
                case ReplyHeading heading:
                    text.AppendLine($"== {Clean(heading.Text)} ==");
                    break;
                case ReplyParagraph paragraph:
                    text.AppendLine(Clean(paragraph.Text));
                    break;
                case ReplyList list:
                    foreach (var line in list.Lines)
                    {
                        text.Append("  • ").Append(Clean(line.Text));
                        if (line.Detail is not null)
                        {
                            text.Append(" — ").Append(Clean(line.Detail));
                        }

                        if (line.Url is not null)
                        {
                            text.Append(" <").Append(Clean(line.Url)).Append('>');
                        }

                        text.AppendLine();
                    }

                    break;
                case ReplyArticles articles:
                    foreach (var post in articles.Articles)
                    {
                        text.AppendLine($"  [{post.ShortId}] {Clean(post.Title)}");
                        text.AppendLine($"      {Clean(post.SourceName)} · {FormatTime(post.PublishedAt)}{(post.Url is null ? "" : " · " + Clean(post.Url))}");
                    }

                    break;
                case ReplyCode code:
                    text.AppendLine(Clean(code.Text));
                    break;
                case ReplyArticleDetail detail:
                    text.Append(RenderPost(detail.Article with { Format = PostFormat.Full }));
                    break;
                case ReplyPostPreview preview:
                    text.Append(compose?.Invoke(preview.Post, preview.TimeZone) ?? RenderPost(preview.Post));
                    break;
            }
        }

        return (reply.IsError ? "! " : "") + text.ToString().TrimEnd() + Environment.NewLine;
    }

    private static void AppendLinks(StringBuilder text, string label, IReadOnlyList<RelatedLink> links)
    {
        if (links.Count == 0)
        {
            return;
        }

        text.AppendLine().AppendLine(label + ":");
        foreach (var link in links)
        {
            text.AppendLine($"  • {Clean(link.Title)} <{Clean(link.Url)}>");
        }
    }

    private static string FormatTime(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "undated";

    /// <summary>
    /// Drops control characters (but newlines), so a feed cannot move the cursor or recolour the terminal, and
    /// bidirectional overrides and isolates, so it cannot reorder the rest of the line (CVE-2021-42574).
    /// </summary>
    private static string Clean(string text)
    {
        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == '\n' || !(char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'))
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }
}
