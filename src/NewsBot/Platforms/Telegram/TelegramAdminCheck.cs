using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NewsBot.Platforms.Telegram;

public enum TelegramAdminDecision
{
    Admin,
    NotAdmin,
    /// <summary>The message alone does not tell: ask getChatMember for the sender and decide again with its status.</summary>
    NeedsMemberStatus,
}

/// <summary>
/// Whether the sender of a command may change the chat's subscriptions (Bot API: ChatMember, Message.sender_chat).
/// Command scopes only shape the menu, so every admin-only command checks this.
/// </summary>
public static class TelegramAdminCheck
{
    /// <summary>The user id of GroupAnonymousBot, the "from" of messages sent by anonymous group admins.</summary>
    public const long GroupAnonymousBotId = 1087968824;

    public static TelegramAdminDecision Decide(Message message, ChatMemberStatus? senderStatus = null)
    {
        ArgumentNullException.ThrowIfNull(message);

        // Only a channel's admins can post in it, and a private chat belongs to the user in it.
        if (message.Chat.Type is ChatType.Channel or ChatType.Private)
        {
            return TelegramAdminDecision.Admin;
        }

        // Anonymous admins (and the group posting as itself) send with sender_chat = the group. A linked channel or
        // another channel posting into the group has a different sender_chat and is not an admin of this group.
        if (message.SenderChat is { } senderChat)
        {
            return senderChat.Id == message.Chat.Id ? TelegramAdminDecision.Admin : TelegramAdminDecision.NotAdmin;
        }

        if (message.From is null || message.From.Id == GroupAnonymousBotId)
        {
            return TelegramAdminDecision.NotAdmin;
        }

        return senderStatus switch
        {
            null => TelegramAdminDecision.NeedsMemberStatus,
            ChatMemberStatus.Creator or ChatMemberStatus.Administrator => TelegramAdminDecision.Admin,
            _ => TelegramAdminDecision.NotAdmin,
        };
    }
}
