using System.Globalization;
using System.Text.RegularExpressions;
using NewsBot.Model;

namespace NewsBot.Platforms.Telegram;

/// <summary>
/// Posts, digests and command replies as Telegram HTML messages, each at most
/// <see cref="TelegramHtml.MaxMessageLength"/> visible characters and valid on its own. Every feed string is escaped;
/// only http(s) URLs become links, so odd URLs can never make Telegram refuse a message.
/// </summary>
public static partial class TelegramPostRenderer
{
    private const string Bullet = "• ";

    public static IReadOnlyList<string> Render(Post post)
    {
        ArgumentNullException.ThrowIfNull(post);
        return TelegramMessageSplitter.Split(post.Format == PostFormat.Compact ? [CompactLine(post)] : FullParagraphs(post));
    }

    public static IReadOnlyList<string> Render(DigestPost digest)
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

    /// <summary>A command reply: each heading opens a paragraph, the blocks after it are its lines.</summary>
    public static IReadOnlyList<string> RenderText(IReadOnlyList<TelegramReplyBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var paragraphs = new List<List<TelegramRun>>();
        foreach (var block in blocks)
        {
            if (block is TelegramReplyBlock.Heading || paragraphs.Count == 0)
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
                case TelegramReplyBlock.Heading heading:
                    paragraph.Add(new TelegramRun(OneLine(heading.Text), TelegramRunStyle.Bold));
                    break;
                case TelegramReplyBlock.Line line:
                    paragraph.Add(new TelegramRun(line.Text));
                    break;
                case TelegramReplyBlock.Link link:
                    paragraph.Add(Linked(link.Text, link.Url));
                    if (!string.IsNullOrWhiteSpace(link.Note))
                    {
                        paragraph.Add(new TelegramRun(" " + link.Note));
                    }

                    break;
                case TelegramReplyBlock.Code code:
                    paragraph.Add(new TelegramRun(code.Text, TelegramRunStyle.Code));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(blocks), block, "Unknown reply block.");
            }
        }

        return TelegramMessageSplitter.Split(paragraphs);
    }

    /// <summary>A topic as a Telegram hashtag: letters, digits and underscores only; null when nothing is left.</summary>
    public static string? Hashtag(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var cleaned = NotHashtagCharacter().Replace(topic.Replace(' ', '_').Replace('-', '_'), "").Trim('_');
        // Telegram does not link a hashtag made only of digits.
        return cleaned.Length == 0 || cleaned.All(char.IsAsciiDigit) ? null : "#" + cleaned;
    }

    private static IEnumerable<IReadOnlyList<TelegramRun>> FullParagraphs(Post post)
    {
        yield return [Title(post), new TelegramRun("\n"), new TelegramRun(Byline(post), TelegramRunStyle.Italic)];

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
            var related = new List<TelegramRun> { new("Related:", TelegramRunStyle.Bold) };
            foreach (var link in post.Related)
            {
                related.Add(new TelegramRun("\n" + Bullet));
                related.Add(Linked(link.Title, link.Url));
            }

            yield return related;
        }

        if (post.AlsoCoveredBy.Count > 0)
        {
            var also = new List<TelegramRun> { new("Also covered by: ", TelegramRunStyle.Italic) };
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

    private static string Byline(Post post) =>
        post.PublishedAt is { } published
            ? $"{OneLine(post.SourceName)} · {published.ToUniversalTime().ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture)} UTC"
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
