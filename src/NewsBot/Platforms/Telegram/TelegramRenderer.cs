using System.Text.RegularExpressions;
using NewsBot.Commands;
using NewsBot.Model;
using NewsBot.Localization;
using NewsBot.Publishing;

namespace NewsBot.Platforms.Telegram;

/// <summary>
/// Posts, digests and command replies as Telegram HTML messages (core.telegram.org/bots/api#html-style), each at most
/// <see cref="MaxMessageLength"/> visible characters and valid on its own (<see cref="TelegramMessageSplitter"/>).
/// Every feed string is escaped; only http(s) URLs become links, so odd URLs can never make Telegram refuse a message.
/// </summary>
public static partial class TelegramRenderer
{
    /// <summary>Telegram counts this many UTF-16 code units of visible text, after entity parsing, per message.</summary>
    public const int MaxMessageLength = 4096;

    private const string Bullet = "• ";

    /// <summary>
    /// A piece of a reply laid out for Telegram. Headings start a paragraph; lines, links and code lines follow under it.
    /// All text is plain: the renderer escapes it.
    /// </summary>
    public abstract record Block
    {
        private Block()
        {
        }

        public sealed record Heading(string Text) : Block;

        public sealed record Line(string Text) : Block;

        /// <summary>A linked line, optionally followed by a note such as "(paused)".</summary>
        public sealed record Link(string Text, string Url, string? Note = null) : Block;

        /// <summary>Something to copy verbatim: an id, a command, a URL to paste.</summary>
        public sealed record Code(string Text) : Block;
    }

    /// <param name="texts">The channel's language, for the fixed labels (Related, Also covered by) and the date.</param>
    public static IReadOnlyList<string> RenderPost(Post post, Texts? texts = null)
    {
        ArgumentNullException.ThrowIfNull(post);
        return TelegramMessageSplitter.Split(post.Format == PostFormat.Compact ? [CompactLine(post)] : FullParagraphs(post, texts ?? Texts.English));
    }

    public static IReadOnlyList<string> RenderDigest(DigestPost digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var lines = new List<TelegramRun>();
        foreach (var item in digest.Items)
        {
            if (lines.Count > 0)
            {
                lines.Add(new TelegramRun("\n"));
            }

            lines.Add(new TelegramRun(Bullet));
            lines.AddRange(CompactLine(item));
        }

        List<List<TelegramRun>> paragraphs = [[new TelegramRun(OneLine(digest.Heading), TelegramRunStyle.Bold)], lines];
        if (digest.More is not null)
        {
            paragraphs.Add([new TelegramRun(OneLine(digest.More))]);
        }

        return TelegramMessageSplitter.Split(paragraphs);
    }

    /// <summary>
    /// A platform-neutral <see cref="CommandReply"/> as messages: text blocks map onto <see cref="Block"/>s, a full
    /// article renders like a post and starts its own message.
    /// </summary>
    /// <param name="compose">Lays out a <see cref="ReplyPostPreview"/> as the publisher posts it; the built-in layout when not given.</param>
    public static IReadOnlyList<string> RenderReply(CommandReply reply, Func<Post, Channel, IReadOnlyList<string>>? compose = null)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var texts = reply.Texts ?? Texts.English;
        var messages = new List<string>();
        var pending = new List<Block>();

        void FlushText()
        {
            if (pending.Count > 0)
            {
                messages.AddRange(RenderBlocks(pending));
                pending.Clear();
            }
        }

        foreach (var block in reply.Blocks)
        {
            switch (block)
            {
                case ReplyHeading heading:
                    pending.Add(new Block.Heading(heading.Text));
                    break;
                case ReplyParagraph paragraph:
                    pending.Add(new Block.Line(paragraph.Text));
                    break;
                case ReplyList list:
                    pending.AddRange(list.Lines.Select(ListLine));
                    break;
                case ReplyArticles articles:
                    pending.AddRange(articles.Articles.Select(post => Card(post, texts)));
                    break;
                case ReplyCode code:
                    pending.Add(new Block.Code(code.Text));
                    break;
                case ReplyArticleDetail detail:
                    FlushText();
                    messages.AddRange(RenderPost(detail.Article with { Format = PostFormat.Full }, texts));
                    break;
                case ReplyPostPreview preview:
                    FlushText();
                    messages.AddRange(compose?.Invoke(preview.Post, preview.Channel) ?? RenderPost(preview.Post, ChannelTexts.Of(preview.Channel)));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(reply), block, "Unknown reply block.");
            }
        }

        FlushText();
        return messages;
    }

    /// <summary>Reply blocks as messages: each heading opens a paragraph, the blocks after it are its lines.</summary>
    public static IReadOnlyList<string> RenderBlocks(IReadOnlyList<Block> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var paragraphs = new List<List<TelegramRun>>();
        foreach (var block in blocks)
        {
            if (block is Block.Heading || paragraphs.Count == 0)
            {
                paragraphs.Add([]);
            }

            var paragraph = paragraphs[^1];
            if (paragraph.Count > 0)
            {
                paragraph.Add(new TelegramRun("\n"));
            }

            switch (block)
            {
                case Block.Heading heading:
                    paragraph.Add(new TelegramRun(OneLine(heading.Text), TelegramRunStyle.Bold));
                    break;
                case Block.Line line:
                    paragraph.Add(new TelegramRun(line.Text));
                    break;
                case Block.Link link:
                    paragraph.Add(Linked(link.Text, link.Url));
                    if (!string.IsNullOrWhiteSpace(link.Note))
                    {
                        paragraph.Add(new TelegramRun(" " + link.Note));
                    }

                    break;
                case Block.Code code:
                    paragraph.Add(new TelegramRun(code.Text, TelegramRunStyle.Code));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(blocks), block, "Unknown reply block.");
            }
        }

        return TelegramMessageSplitter.Split(paragraphs);
    }

    /// <summary>
    /// Text between tags: every &lt; &gt; &amp; that is not markup must be an entity. <c>&amp;</c> goes first so the
    /// entities made for &lt; and &gt; stay intact.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text
            .Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
    }

    /// <summary>An attribute value written inside double quotes, such as an href (only &amp;quot; is understood there).</summary>
    public static string EscapeAttribute(string value) => Escape(value).Replace("\"", "&quot;", StringComparison.Ordinal);

    /// <summary>A topic as a Telegram hashtag: letters, digits and underscores only; null when nothing is left.</summary>
    public static string? Hashtag(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var cleaned = NotHashtagCharacter().Replace(topic.Replace(' ', '_').Replace('-', '_'), "").Trim('_');
        // Telegram does not link a hashtag made only of digits.
        return cleaned.Length == 0 || cleaned.All(char.IsAsciiDigit) ? null : "#" + cleaned;
    }

    private static Block ListLine(ReplyLine line)
    {
        var detail = line.Detail is null ? null : "— " + line.Detail;
        return line.Url is not null
            ? new Block.Link("• " + line.Text, line.Url, detail)
            : new Block.Line("• " + line.Text + (detail is null ? "" : " " + detail));
    }

    /// <summary>An article in a list: its linked title, then source, date and id.</summary>
    private static Block Card(Post post, Texts texts)
    {
        var when = post.PublishedAt is { } published ? texts.DateTime(published.ToUniversalTime()) + " UTC" : null;
        var note = $"— {post.SourceName}{(when is null ? "" : " · " + when)} · {post.ShortId}";
        return post.Url is not null ? new Block.Link("• " + post.Title, post.Url, note) : new Block.Line($"• {post.Title} {note}");
    }

    private static IEnumerable<IReadOnlyList<TelegramRun>> FullParagraphs(Post post, Texts texts)
    {
        // A translated post keeps the title as published, under the translated one.
        yield return post.OriginalTitle is { } original
            ? [Title(post), new TelegramRun("\n"), new TelegramRun(OneLine(original), TelegramRunStyle.Italic), new TelegramRun("\n"), new TelegramRun(Byline(post, texts), TelegramRunStyle.Italic)]
            : [Title(post), new TelegramRun("\n"), new TelegramRun(Byline(post, texts), TelegramRunStyle.Italic)];

        foreach (var paragraph in SummaryParagraphs(post.Summary))
        {
            yield return [new TelegramRun(paragraph)];
        }

        var hashtags = post.Topics.Select(Hashtag).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (hashtags.Count > 0)
        {
            yield return [new TelegramRun(string.Join(' ', hashtags))];
        }

        if (post.Related.Count > 0)
        {
            var related = new List<TelegramRun> { new(texts.Format("Post.Label", texts["Post.Related"]), TelegramRunStyle.Bold) };
            foreach (var link in post.Related)
            {
                related.Add(new TelegramRun("\n" + Bullet));
                related.Add(Linked(link.Title, link.Url));
            }

            yield return related;
        }

        if (post.AlsoCoveredBy.Count > 0)
        {
            var also = new List<TelegramRun> { new(texts.Format("Post.Label", texts["Post.AlsoCoveredBy"]) + " ", TelegramRunStyle.Italic) };
            foreach (var link in post.AlsoCoveredBy)
            {
                if (also.Count > 1)
                {
                    also.Add(new TelegramRun(", "));
                }

                also.Add(Linked(link.Title, link.Url));
            }

            yield return also;
        }

        yield return [new TelegramRun(post.ShortId, TelegramRunStyle.Code)];
    }

    /// <summary>Title, source and id on one line: compact posts and digest items.</summary>
    private static List<TelegramRun> CompactLine(Post post) =>
    [
        Title(post),
        new TelegramRun(" — " + OneLine(post.SourceName) + " "),
        new TelegramRun(post.ShortId, TelegramRunStyle.Code),
    ];

    private static TelegramRun Title(Post post)
    {
        var title = OneLine(post.Title);
        return Linked(title.Length > 0 ? title : post.Url ?? post.ShortId, post.Url) with { Style = TelegramRunStyle.Bold };
    }

    private static string Byline(Post post, Texts texts) =>
        post.PublishedAt is { } published
            ? $"{OneLine(post.SourceName)} · {texts.DateTime(published.ToUniversalTime())} UTC"
            : OneLine(post.SourceName);

    private static TelegramRun Linked(string text, string? url) =>
        new(OneLine(text), Url: IsLinkable(url) ? url : null);

    private static bool IsLinkable(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static IEnumerable<string> SummaryParagraphs(string? summary) =>
        string.IsNullOrWhiteSpace(summary)
            ? []
            : ParagraphBreak().Split(summary.ReplaceLineEndings("\n").Trim()).Select(paragraph => paragraph.Trim()).Where(paragraph => paragraph.Length > 0);

    /// <summary>
    /// Feed titles sometimes carry line breaks and runs of spaces; a heading reads as one line. No-break spaces stay:
    /// French typography puts them before colons on purpose.
    /// </summary>
    private static string OneLine(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"[^\p{L}\p{N}_]")]
    private static partial Regex NotHashtagCharacter();

    [GeneratedRegex(@"\n[ \t]*\n\s*")]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"[\s-[\u00A0\u202F]]+")]
    private static partial Regex Whitespace();
}
