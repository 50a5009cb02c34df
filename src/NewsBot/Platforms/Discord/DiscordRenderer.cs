using System.Globalization;
using System.Text;
using NewsBot.Commands;
using NewsBot.Discord.Wire;
using NewsBot.Discord;
using NewsBot.Model;

namespace NewsBot.Platforms.Discord;

/// <summary>
/// Posts, digests and command replies as Discord embeds. Feed text is untrusted: markdown is escaped so a title
/// cannot fake links or formatting, and every part is kept within Discord's limits here (the client trims again).
/// </summary>
public static class DiscordRenderer
{
    public const int Colour = 0x2B6CB0;
    public const int ContentLimit = 2000;
    public const int DescriptionLimit = 4096;
    public const int TitleLimit = 256;
    public const int FooterLimit = 2048;
    public const int FieldValueLimit = 1024;
    public const int CompactSummaryLimit = 280;
    public const int MaxRelatedLinks = 5;

    public static Embed RenderPost(Post post)
    {
        var full = post.Format == PostFormat.Full;
        var fields = new List<EmbedField>();
        if (full)
        {
            if (post.Topics.Count > 0)
            {
                fields.Add(Field("Topics", string.Join(", ", post.Topics.Select(Escape)), inline: true));
            }

            AddLinks(fields, "Related", post.Related);
            AddLinks(fields, "Also covered by", post.AlsoCoveredBy);
        }

        var summary = post.Summary is null ? null : Escape(full ? post.Summary : Shorten(post.Summary, CompactSummaryLimit));

        // The article's picture: across the embed in a full post, a small thumbnail beside a compact one.
        var image = SafeUrl(post.ImageUrl) is { } imageUrl ? new EmbedMedia { Url = imageUrl } : null;
        return new Embed
        {
            Title = Shorten(Escape(post.Title), TitleLimit),
            Url = SafeUrl(post.Url),
            Description = summary is null ? null : Shorten(summary, DescriptionLimit),
            Color = Colour,
            Fields = fields.Count == 0 ? null : fields,
            Footer = new EmbedFooter { Text = Shorten($"{post.SourceName} · id {post.ShortId}", FooterLimit) },
            Timestamp = post.PublishedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            Image = full ? image : null,
            Thumbnail = full ? null : image,
        };
    }

    /// <summary>One embed listing every item as a link line; what does not fit is counted at the end.</summary>
    public static Embed RenderDigest(DigestPost digest) => new()
    {
        Title = Shorten(Escape(digest.Heading), 256),
        Description = JoinWithin(digest.Items.Select(ArticleLine).ToList(), DescriptionLimit),
        Footer = digest.More is null ? null : new EmbedFooter { Text = Shorten(digest.More, 2048) },
        Color = Colour,
    };

    /// <summary>A command reply: text blocks become content, articles become embeds. Errors and private replies are ephemeral.</summary>
    /// <param name="compose">Lays out a <see cref="ReplyPostPreview"/> as the publisher posts it (content and embed); the built-in embed when not given.</param>
    public static OutgoingMessage RenderReply(CommandReply reply, Func<Post, string, OutgoingMessage>? compose = null)
    {
        var content = new StringBuilder();
        var embeds = new List<Embed>();
        foreach (var block in reply.Blocks)
        {
            switch (block)
            {
                case ReplyHeading heading:
                    content.Append("**").Append(Escape(heading.Text)).Append("**\n");
                    break;
                case ReplyParagraph paragraph:
                    content.Append(Escape(paragraph.Text)).Append('\n');
                    break;
                case ReplyList list:
                    foreach (var line in list.Lines)
                    {
                        content.Append("• ").Append(line.Url is { } url && SafeUrl(url) is { } safe ? $"[{Escape(line.Text)}]({safe})" : Escape(line.Text));
                        if (line.Detail is not null)
                        {
                            content.Append(" — ").Append(Escape(line.Detail));
                        }

                        content.Append('\n');
                    }

                    break;
                case ReplyArticles articles when articles.Articles.Count > 0:
                    embeds.Add(new Embed { Description = JoinWithin(articles.Articles.Select(ArticleLine).ToList(), DescriptionLimit), Color = Colour });
                    break;
                case ReplyArticleDetail detail:
                    embeds.Add(RenderPost(detail.Article with { Format = PostFormat.Full }));
                    break;
                case ReplyCode code:
                    content.Append(CodeBlock(code.Text, ContentLimit - content.Length)).Append('\n');
                    break;
                case ReplyPostPreview preview:
                    // Role mentions show in the content as they would; the reply's allowed_mentions stays none, so nobody is pinged.
                    var post = compose?.Invoke(preview.Post, preview.TimeZone) ?? new OutgoingMessage { Embeds = [RenderPost(preview.Post)] };
                    content.Append(post.Content).Append('\n');
                    embeds.AddRange(post.Embeds);
                    break;
            }
        }

        var text = content.ToString().TrimEnd();
        return new OutgoingMessage
        {
            Content = text.Length == 0 ? null : Shorten(text, ContentLimit),
            Embeds = embeds.Take(10).ToList(),
            Flags = reply.Private || reply.IsError ? MessageFlags.Ephemeral : MessageFlags.None,
        };
    }

    /// <summary>Backslash-escapes Discord markdown so feed text shows literally.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (NeedsEscape(c))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>Characters Discord markdown gives a meaning: formatting, quotes, headings, masked links, mentions.</summary>
    public static bool NeedsEscape(char c) =>
        c is '\\' or '*' or '_' or '~' or '`' or '|' or '>' or '<' or '[' or ']' or '(' or ')' or '#' or '@';

    /// <summary>Cuts at a word boundary and adds "…" so the result has at most <paramref name="limit"/> characters.</summary>
    public static string Shorten(string text, int limit)
    {
        var trimmed = text.Trim();
        if (trimmed.Length <= limit)
        {
            return trimmed;
        }

        var cut = trimmed[..(limit - 1)];
        var space = cut.LastIndexOf(' ');
        // Never leave a dangling escape backslash at the cut.
        var shortened = (space > limit / 2 ? cut[..space] : cut).TrimEnd('\\', ' ');
        return shortened + "…";
    }

    /// <summary>http(s) URLs only, with the characters that would end a markdown link encoded.</summary>
    public static string? SafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && url!.Length <= 2048
            ? uri.AbsoluteUri.Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal)
            : null;

    private static string ArticleLine(Post post)
    {
        var title = Escape(Shorten(post.Title, 200));
        var link = SafeUrl(post.Url) is { } url ? $"[{title}]({url})" : title;
        var when = post.PublishedAt is { } at ? $" · <t:{at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}:R>" : "";
        return $"• {link} — {Escape(post.SourceName)}{when} · `{post.ShortId}`";
    }

    private static void AddLinks(List<EmbedField> fields, string name, IReadOnlyList<RelatedLink> links)
    {
        var lines = links.Take(MaxRelatedLinks)
            .Select(l => SafeUrl(l.Url) is { } url ? $"[{Escape(Shorten(l.Title, 150))}]({url})" : Escape(Shorten(l.Title, 150)))
            .ToList();
        if (lines.Count > 0)
        {
            fields.Add(Field(name, JoinWithin(lines, FieldValueLimit), inline: false));
        }
    }

    private static EmbedField Field(string name, string value, bool inline) => new() { Name = name, Value = Shorten(value, FieldValueLimit), Inline = inline };

    /// <summary>Whole lines only; when some do not fit, the last line says how many were left out.</summary>
    private static string JoinWithin(IReadOnlyList<string> lines, int limit)
    {
        var text = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            var more = lines.Count - i - 1;
            var reserve = more > 0 ? 32 : 0;
            if (text.Length + lines[i].Length + 1 + reserve > limit)
            {
                text.Append(CultureInfo.InvariantCulture, $"…and {lines.Count - i} more");
                return text.ToString();
            }

            text.Append(lines[i]).Append('\n');
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>A fenced block that cannot be closed early by the text and fits in <paramref name="room"/> characters.</summary>
    private static string CodeBlock(string text, int room)
    {
        const string Fence = "```";
        var safe = text.Replace(Fence, "`\u200b``", StringComparison.Ordinal);
        var budget = Math.Max(0, room - (2 * Fence.Length) - 2);
        if (safe.Length > budget)
        {
            var cut = safe[..Math.Max(0, budget - 2)];
            var newline = cut.LastIndexOf('\n');
            safe = (newline > budget / 2 ? cut[..newline] : cut) + "\n…";
        }

        return $"{Fence}\n{safe}\n{Fence}";
    }
}
