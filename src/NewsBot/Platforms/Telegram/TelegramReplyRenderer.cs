using System.Globalization;
using NewsBot.Commands;
using NewsBot.Model;

namespace NewsBot.Platforms.Telegram;

/// <summary>A platform-neutral <see cref="CommandReply"/> as Telegram HTML messages: blocks map onto <see cref="TelegramReplyBlock"/>s, a full article renders like a post.</summary>
public static class TelegramReplyRenderer
{
    /// <param name="compose">Lays out a <see cref="ReplyPostPreview"/> as the publisher posts it; the built-in layout when not given.</param>
    public static IReadOnlyList<string> Render(CommandReply reply, Func<Post, string, IReadOnlyList<string>>? compose = null)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var messages = new List<string>();
        var pending = new List<TelegramReplyBlock>();

        void FlushText()
        {
            if (pending.Count > 0)
            {
                messages.AddRange(TelegramPostRenderer.RenderText(pending));
                pending.Clear();
            }
        }

        foreach (var block in reply.Blocks)
        {
            switch (block)
            {
                case ReplyHeading heading:
                    pending.Add(new TelegramReplyBlock.Heading(heading.Text));
                    break;
                case ReplyParagraph paragraph:
                    pending.Add(new TelegramReplyBlock.Line(paragraph.Text));
                    break;
                case ReplyList list:
                    pending.AddRange(list.Lines.Select(Line));
                    break;
                case ReplyArticles articles:
                    pending.AddRange(articles.Articles.Select(Card));
                    break;
                case ReplyCode code:
                    pending.Add(new TelegramReplyBlock.Code(code.Text));
                    break;
                case ReplyArticleDetail detail:
                    // An article in full is laid out like a post; it starts its own message.
                    FlushText();
                    messages.AddRange(TelegramPostRenderer.Render(detail.Article with { Format = PostFormat.Full }));
                    break;
                case ReplyPostPreview preview:
                    FlushText();
                    messages.AddRange(compose?.Invoke(preview.Post, preview.TimeZone) ?? TelegramPostRenderer.Render(preview.Post));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(reply), block, "Unknown reply block.");
            }
        }

        FlushText();
        return messages;
    }

    private static TelegramReplyBlock Line(ReplyLine line)
    {
        var detail = line.Detail is null ? null : "— " + line.Detail;
        return line.Url is not null
            ? new TelegramReplyBlock.Link("• " + line.Text, line.Url, detail)
            : new TelegramReplyBlock.Line("• " + line.Text + (detail is null ? "" : " " + detail));
    }

    private static TelegramReplyBlock Card(Post post)
    {
        var when = post.PublishedAt?.UtcDateTime.ToString("d MMM HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var note = $"— {post.SourceName}{(when is null ? "" : " · " + when)} · {post.ShortId}";
        return post.Url is not null ? new TelegramReplyBlock.Link("• " + post.Title, post.Url, note) : new TelegramReplyBlock.Line($"• {post.Title} {note}");
    }
}
