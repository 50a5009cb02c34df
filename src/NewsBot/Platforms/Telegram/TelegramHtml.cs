namespace NewsBot.Platforms.Telegram;

/// <summary>
/// Escaping for the Bot API's HTML parse mode (core.telegram.org/bots/api#html-style): every &lt; &gt; &amp; that
/// is not markup must be an entity, and only &amp;lt; &amp;gt; &amp;amp; &amp;quot; are understood.
/// </summary>
public static class TelegramHtml
{
    /// <summary>Telegram counts this many UTF-16 code units of visible text, after entity parsing, per message.</summary>
    public const int MaxMessageLength = 4096;

    /// <summary>Text between tags. <c>&amp;</c> goes first so the entities made for &lt; and &gt; stay intact.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text
            .Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
    }

    /// <summary>An attribute value written inside double quotes, such as an href.</summary>
    public static string EscapeAttribute(string value) => Escape(value).Replace("\"", "&quot;", StringComparison.Ordinal);
}
