using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NewsBot.Platforms.Telegram;

/// <summary>
/// Reads "/command[@BotName] arguments" from a message (Bot API, "Commands"). Groups may address another bot with
/// the @ suffix; those commands are not ours. The bot_command entity at offset 0 is preferred because Telegram has
/// already decided where the command ends; plain text is the fallback for callers without entities.
/// </summary>
public static partial class TelegramCommandText
{
    public static bool TryParse(
        string? text,
        IReadOnlyList<MessageEntity>? entities,
        string botUsername,
        [NotNullWhen(true)] out string? command,
        [NotNullWhen(true)] out string? arguments)
    {
        ArgumentNullException.ThrowIfNull(botUsername);
        command = null;
        arguments = null;
        if (string.IsNullOrEmpty(text) || text[0] != '/')
        {
            return false;
        }

        var entity = entities?.FirstOrDefault(e => e.Type == MessageEntityType.BotCommand && e.Offset == 0);
        var tokenLength = entity is not null && entity.Length <= text.Length ? entity.Length : TokenLength(text);
        var token = text[1..tokenLength];
        var at = token.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0 && !string.Equals(token[(at + 1)..], botUsername.TrimStart('@'), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var name = (at >= 0 ? token[..at] : token).ToLowerInvariant();
        if (!CommandName().IsMatch(name))
        {
            return false;
        }

        command = name;
        arguments = text[tokenLength..].Trim();
        return true;
    }

    private static int TokenLength(string text)
    {
        var end = text.AsSpan().IndexOfAny(" \t\r\n");
        return end < 0 ? text.Length : end;
    }

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex CommandName();
}
