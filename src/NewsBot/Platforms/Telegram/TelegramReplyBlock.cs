namespace NewsBot.Platforms.Telegram;

/// <summary>
/// A piece of a command reply. Headings start a paragraph; lines, links and code lines follow under it.
/// All text is plain: the renderer escapes it.
/// </summary>
public abstract record TelegramReplyBlock
{
    private TelegramReplyBlock()
    {
    }

    public sealed record Heading(string Text) : TelegramReplyBlock;

    public sealed record Line(string Text) : TelegramReplyBlock;

    /// <summary>A linked line, optionally followed by a note such as "(paused)".</summary>
    public sealed record Link(string Text, string Url, string? Note = null) : TelegramReplyBlock;

    /// <summary>Something to copy verbatim: an id, a command, a URL to paste.</summary>
    public sealed record Code(string Text) : TelegramReplyBlock;
}
