using System.Globalization;
using NewsBot.Model;

namespace NewsBot.Commands;

/// <summary>
/// The <c>channel</c> option: a command about another channel of this chat than the one it was typed in. Discord
/// resolves its channel picker itself (a forum, where no one can type, is reached only this way); on Telegram it is
/// a forum topic of this group, by id, by a link to it or to a message in it, or <c>general</c>.
/// </summary>
public static class ChannelOption
{
    public const string Name = "channel";

    /// <summary>The channel a text platform's <c>channel:</c> value names, or why it names none.</summary>
    public static (ChannelRef? Channel, string? Error) Resolve(ChannelRef here, string value)
    {
        ArgumentNullException.ThrowIfNull(here);
        ArgumentNullException.ThrowIfNull(value);
        switch (here.Platform)
        {
            case Platform.Discord:
                // Already the picked channel: the adapter built the request from the interaction's resolved data.
                return (here, null);
            case Platform.Telegram:
                if (value.Equals("general", StringComparison.OrdinalIgnoreCase))
                {
                    // The General topic takes no message_thread_id.
                    return (here with { ThreadId = null }, null);
                }

                var topic = TopicOf(value, here.ExternalId, out var otherChat);
                return otherChat
                    ? (null, "That link is to another chat; give a topic of this group.")
                    : topic is null
                        ? (null, $"\"{value}\" is not a forum topic: give its number, a link to it (Copy Link on the topic), or general.")
                        : (here with { ThreadId = topic }, null);
            default:
                return (null, "channel: picks a Discord channel or a Telegram forum topic; here there is only this one.");
        }
    }

    /// <summary>How a reply names the channel a command was about.</summary>
    public static string Describe(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Options.ContainsKey(Name))
        {
            return "This channel";
        }

        return context.Channel.Platform == Platform.Telegram
            ? context.Channel.ThreadId is { } topic ? $"Topic {topic}" : "The General topic"
            : context.Channel.Name is { } name ? $"#{name}" : "That channel";
    }

    /// <summary>The channel option as typed again in a hint (" channel:45"), or nothing when the command was about this channel.</summary>
    public static string Typed(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.String(Name) is { } value ? $" {Name}:{value}" : "";
    }

    /// <summary>A topic number, or the topic of a t.me link: /c/&lt;chat&gt;/&lt;topic&gt;[/&lt;message&gt;] or /&lt;username&gt;/&lt;topic&gt;[/&lt;message&gt;].</summary>
    private static string? TopicOf(string value, string chatId, out bool otherChat)
    {
        otherChat = false;
        if (IsNumber(value))
        {
            return value;
        }

        if (!Uri.TryCreate(value.StartsWith("t.me/", StringComparison.OrdinalIgnoreCase) ? "https://" + value : value, UriKind.Absolute, out var uri)
            || !uri.Host.Equals("t.me", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var parts = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts is ["c", var chat, var topic, ..])
        {
            // Private links drop the "-100" that supergroup ids carry in the Bot API.
            otherChat = "-100" + chat != chatId;
            return IsNumber(topic) ? topic : null;
        }

        return parts is [_, var publicTopic, ..] && IsNumber(publicTopic) ? publicTopic : null;
    }

    private static bool IsNumber(string text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0;
}
