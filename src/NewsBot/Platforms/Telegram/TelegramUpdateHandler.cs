using System.Globalization;
using Microsoft.Extensions.Logging;
using NewsBot.Commands;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using NewsBot.Localization;

namespace NewsBot.Platforms.Telegram;

/// <summary>
/// Handles one update from either receiver (long polling or webhook): commands in private chats, groups, forum
/// topics and channels go through the <see cref="CommandRouter"/>; the bot's own membership changes pause or resume
/// the chat's subscriptions; a group's upgrade to a supergroup moves its channels to the new id.
/// </summary>
public sealed partial class TelegramUpdateHandler(
    TelegramBot bot,
    TelegramPublisher publisher,
    TelegramAdminCache admins,
    CommandCatalogue catalogue,
    CommandRouter router,
    IChannelStore channels,
    ISubscriptionStore subscriptions,
    ILogger<TelegramUpdateHandler> logger)
{
    public async Task HandleAsync(Update update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Message is { } message)
        {
            await HandleMessageAsync(message, cancellationToken);
        }
        else if (update.ChannelPost is { } post)
        {
            await HandleMessageAsync(post, cancellationToken);
        }
        else if (update.MyChatMember is { } membership)
        {
            await HandleMembershipAsync(membership, cancellationToken);
        }
    }

    private async Task HandleMessageAsync(Message message, CancellationToken cancellationToken)
    {
        if (message.MigrateToChatId is { } newChatId)
        {
            await MoveChatAsync(message.Chat.Id, newChatId, cancellationToken);
            return;
        }

        var username = await bot.GetUsernameAsync(cancellationToken);
        if (!TelegramCommandText.TryParse(message.Text, message.Entities, username, out var command, out var arguments))
        {
            return;
        }

        var chat = message.Chat;
        var threadId = message.IsTopicMessage ? message.MessageThreadId?.ToString(CultureInfo.InvariantCulture) : null;
        // Replies follow the sender's app language; posts follow it only in a private chat (a group has many readers).
        var language = message.From?.LanguageCode;
        var request = new CommandRequest(
            command,
            new ChannelRef(Platform.Telegram, Key(chat.Id), threadId, Name: chat.Title ?? chat.Username ?? chat.FirstName, Locale: chat.Type == ChatType.Private ? language : null),
            Key(message.From?.Id ?? message.SenderChat?.Id ?? chat.Id),
            await IsAdminAsync(message, catalogue.Find(command), cancellationToken))
        {
            ArgumentText = arguments,
            Locale = language,
        };
        var reply = await router.RouteAsync(request, cancellationToken);
        LogCommand(logger, command, Key(chat.Id), reply.IsError);

        // Telegram has no messages only one user sees in a group: refusals and personal answers reply to the command instead.
        var inGroup = chat.Type is ChatType.Group or ChatType.Supergroup;
        var send = new TelegramPublisher.SendOptions(new LinkPreviewOptions { IsDisabled = true }, Silent: false, inGroup && (reply.IsError || reply.Private) ? message.MessageId : null);
        var messages = TelegramRenderer.RenderReply(reply, publisher.Compose);
        // The publisher has already waited out one 429; a user is waiting, so there is no later attempt.
        var result = await publisher.SendAsync(Key(chat.Id), threadId, messages, send, cancellationToken);

        if (result.Outcome != PublishOutcome.Sent)
        {
            LogReplyFailed(logger, command, Key(chat.Id), result.Reason);
        }
    }

    /// <summary>Asks Telegram only when the message cannot tell and the command needs it.</summary>
    private async Task<bool> IsAdminAsync(Message message, CommandDefinition? definition, CancellationToken cancellationToken)
    {
        var decision = TelegramAdminCheck.Decide(message);
        if (decision != TelegramAdminDecision.NeedsMemberStatus)
        {
            return decision == TelegramAdminDecision.Admin;
        }

        if (definition is not { AdminOnly: true })
        {
            return false;
        }

        try
        {
            var status = await admins.GetStatusAsync(message.Chat.Id, message.From!.Id, cancellationToken);
            return TelegramAdminCheck.Decide(message, status) == TelegramAdminDecision.Admin;
        }
        catch (RequestException ex)
        {
            var error = bot.Classify(ex);
            LogMemberStatusFailed(logger, Key(message.Chat.Id), error.Reason);
            return false;
        }
    }

    private async Task HandleMembershipAsync(ChatMemberUpdated membership, CancellationToken cancellationToken)
    {
        var chatId = Key(membership.Chat.Id);
        var wasIn = IsIn(membership.OldChatMember.Status);
        var isIn = IsIn(membership.NewChatMember.Status);
        var affected = (await channels.ListAsync(Platform.Telegram, cancellationToken)).Where(c => c.ExternalId == chatId).ToList();
        if (wasIn && !isIn)
        {
            // In a private chat "kicked" means the user blocked the bot.
            var reason = membership.Chat.Type == ChatType.Private ? "telegram.blocked" : "telegram.removed";
            foreach (var channel in affected)
            {
                await subscriptions.PauseChannelAsync(channel.Id, reason, cancellationToken);
            }

            LogRemoved(logger, chatId, reason);
            return;
        }

        if (!wasIn && isIn)
        {
            foreach (var channel in affected)
            {
                await subscriptions.ResumeChannelAsync(channel.Id, cancellationToken);
            }

            LogAdded(logger, chatId);
            // Channels get no greeting: every subscriber would read it.
            if (membership.Chat.Type is ChatType.Group or ChatType.Supergroup)
            {
                var username = await bot.GetUsernameAsync(cancellationToken);
                // In the language of whoever added the bot, unless the chat already chose one.
                var texts = Texts.For(affected.Select(c => c.Language).FirstOrDefault(l => l is not null), membership.From.LanguageCode);
                var welcome = TelegramRenderer.RenderBlocks([
                    new TelegramRenderer.Block.Heading(texts["Telegram.WelcomeHeading"]),
                    new TelegramRenderer.Block.Line(texts.Format("Telegram.WelcomeLine", username)),
                ]);
                await publisher.SendAsync(chatId, null, welcome, new TelegramPublisher.SendOptions(new LinkPreviewOptions { IsDisabled = true }, Silent: true), cancellationToken);
            }
        }
    }

    private async Task MoveChatAsync(long oldChatId, long newChatId, CancellationToken cancellationToken)
    {
        foreach (var channel in (await channels.ListAsync(Platform.Telegram, cancellationToken)).Where(c => c.ExternalId == Key(oldChatId)))
        {
            await channels.MoveAsync(channel.Id, Key(newChatId), cancellationToken);
        }

        LogMoved(logger, Key(oldChatId), Key(newChatId));
    }

    private static bool IsIn(ChatMemberStatus status) => status is ChatMemberStatus.Member or ChatMemberStatus.Administrator or ChatMemberStatus.Creator or ChatMemberStatus.Restricted;

    private static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram command /{Command} in chat {ChannelId} (error reply: {IsError})")]
    private static partial void LogCommand(ILogger logger, string command, string channelId, bool isError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply to /{Command} in Telegram chat {ChannelId} not sent: {Reason}")]
    private static partial void LogReplyFailed(ILogger logger, string command, string channelId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check admin rights in Telegram chat {ChannelId}: {Reason}; treating the sender as a member")]
    private static partial void LogMemberStatusFailed(ILogger logger, string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "NewsBot was removed from Telegram chat {ChannelId}; its subscriptions are paused ({Reason})")]
    private static partial void LogRemoved(ILogger logger, string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "NewsBot was added to Telegram chat {ChannelId}")]
    private static partial void LogAdded(ILogger logger, string channelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram chat {ChannelId} became supergroup {NewChannelId}; its channels moved")]
    private static partial void LogMoved(ILogger logger, string channelId, string newChannelId);
}
