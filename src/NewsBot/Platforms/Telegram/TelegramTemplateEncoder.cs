using NewsBot.Publishing;

namespace NewsBot.Platforms.Telegram;

/// <summary>Template values as Telegram HTML text: inside an element or a double-quoted href alike.</summary>
public sealed class TelegramTemplateEncoder : PlatformTextEncoder
{
    public static TelegramTemplateEncoder Instance { get; } = new();

    protected override string? Replacement(char c) => c switch
    {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        _ => null,
    };
}
