using System.Text;

namespace NewsBot.Platforms.Telegram;

[Flags]
internal enum TelegramRunStyle
{
    None = 0,
    Bold = 1,
    Italic = 2,
    Code = 4,
}

/// <summary>
/// Text with one style and at most one link. Messages are flat lists of runs rather than nested markup, so a run can
/// be cut anywhere between characters and both halves are still valid HTML on their own.
/// </summary>
internal readonly record struct TelegramRun(string Text, TelegramRunStyle Style = TelegramRunStyle.None, string? Url = null)
{
    public void AppendHtml(StringBuilder html)
    {
        if (Text.Length == 0)
        {
            return;
        }

        // Fixed order: b, i, a, code — each properly nested inside the previous one.
        if (Style.HasFlag(TelegramRunStyle.Bold))
        {
            html.Append("<b>");
        }

        if (Style.HasFlag(TelegramRunStyle.Italic))
        {
            html.Append("<i>");
        }

        if (Url is not null)
        {
            html.Append("<a href=\"").Append(TelegramRenderer.EscapeAttribute(Url)).Append("\">");
        }

        if (Style.HasFlag(TelegramRunStyle.Code))
        {
            html.Append("<code>");
        }

        html.Append(TelegramRenderer.Escape(Text));
        if (Style.HasFlag(TelegramRunStyle.Code))
        {
            html.Append("</code>");
        }

        if (Url is not null)
        {
            html.Append("</a>");
        }

        if (Style.HasFlag(TelegramRunStyle.Italic))
        {
            html.Append("</i>");
        }

        if (Style.HasFlag(TelegramRunStyle.Bold))
        {
            html.Append("</b>");
        }
    }
}

/// <summary>
/// Packs paragraphs into messages of at most <see cref="TelegramRenderer.MaxMessageLength"/> visible characters.
/// A paragraph that fits a message is never cut; a longer one first fills the current message, then continues in
/// the next, cut at its last line break that fits, else its last space, else anywhere outside a surrogate pair.
/// </summary>
internal static class TelegramMessageSplitter
{
    private const string ParagraphBreak = "\n\n";

    /// <summary>Below this much room a message is sent as is rather than topped up with a sliver of a long paragraph.</summary>
    private const int MinimumFill = 200;

    public static IReadOnlyList<string> Split(IEnumerable<IReadOnlyList<TelegramRun>> paragraphs, int maxLength = TelegramRenderer.MaxMessageLength)
    {
        var messages = new List<string>();
        var current = new List<TelegramRun>();
        var currentLength = 0;

        void Flush()
        {
            messages.Add(ToHtml(current));
            current.Clear();
            currentLength = 0;
        }

        void Append(List<TelegramRun> piece, int length)
        {
            if (current.Count > 0)
            {
                current.Add(new TelegramRun(ParagraphBreak));
                currentLength += ParagraphBreak.Length;
            }

            current.AddRange(piece);
            currentLength += length;
        }

        foreach (var paragraph in paragraphs)
        {
            var text = string.Concat(paragraph.Select(run => run.Text));
            var start = 0;
            while (start < text.Length)
            {
                var remaining = text.Length - start;
                var room = current.Count == 0 ? maxLength : maxLength - currentLength - ParagraphBreak.Length;
                if (remaining <= room)
                {
                    Append(Slice(paragraph, start, text.Length), remaining);
                    break;
                }

                if (current.Count > 0 && (remaining <= maxLength || room < MinimumFill))
                {
                    Flush();
                    continue;
                }

                var (end, next) = CutPoint(text, start, room);
                Append(Slice(paragraph, start, end), end - start);
                Flush();
                start = next;
            }
        }

        if (current.Count > 0)
        {
            Flush();
        }

        return messages;
    }

    /// <summary>Where a piece of at most <paramref name="room"/> characters from <paramref name="start"/> ends, and where the next begins.</summary>
    private static (int End, int Next) CutPoint(string text, int start, int room)
    {
        // A break character just past the room may be dropped, so it is included in the search.
        var window = text.AsSpan(start, room + 1);
        var newline = window.LastIndexOf('\n');
        if (newline > 0)
        {
            return (start + newline, start + newline + 1);
        }

        var space = window.LastIndexOf(' ');
        if (space > 0)
        {
            return (start + space, start + space + 1);
        }

        var end = char.IsHighSurrogate(text[start + room - 1]) ? start + room - 1 : start + room;
        return (end, end);
    }

    private static List<TelegramRun> Slice(IReadOnlyList<TelegramRun> runs, int start, int end)
    {
        var slice = new List<TelegramRun>();
        var offset = 0;
        foreach (var run in runs)
        {
            var from = Math.Max(start, offset);
            var to = Math.Min(end, offset + run.Text.Length);
            if (from < to)
            {
                slice.Add(run with { Text = run.Text[(from - offset)..(to - offset)] });
            }

            offset += run.Text.Length;
        }

        return slice;
    }

    private static string ToHtml(List<TelegramRun> runs)
    {
        var html = new StringBuilder();
        foreach (var run in runs)
        {
            run.AppendHtml(html);
        }

        return html.ToString();
    }
}
