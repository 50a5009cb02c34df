using System.Text.Json.Nodes;

namespace NewsBot.Fakes.Telegram;

/// <summary>getUpdates long polling and the helpers that put user activity into the update queue.</summary>
public sealed partial class FakeTelegramServer
{
    /// <summary>The user anonymous group admins post as (GroupAnonymousBot), with sender_chat = the group.</summary>
    public const long GroupAnonymousBotId = 1087968824;

    /// <summary>Update kinds a bot does not get unless it lists them in allowed_updates (Bot API, getUpdates).</summary>
    private static readonly string[] OptInUpdates = ["chat_member", "message_reaction", "message_reaction_count"];

    private readonly List<JsonObject> _pending = [];
    private string[] _allowedUpdates = [];
    private int _nextUpdateId = 1;
    private int _pollGeneration;
    private int _waitingPolls;

    /// <summary>Completes once a getUpdates call is blocked waiting for updates (so a test may now advance the clock).</summary>
    public Task WaitForWaitingPollAsync(CancellationToken cancellationToken) =>
        WaitUntilAsync(() => _waitingPolls > 0, cancellationToken);

    /// <summary>Queues a raw update; its update_id is assigned here and returned.</summary>
    public int EnqueueUpdate(JsonObject update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_lock)
        {
            var id = _nextUpdateId++;
            update["update_id"] = id;
            _pending.Add(update);
            SignalChangeLocked();
            return id;
        }
    }

    /// <summary>
    /// A group message from a user; a leading /command gets its bot_command entity. With <paramref name="topicId"/>
    /// the group is a forum and the message belongs to that topic (message_thread_id, is_topic_message).
    /// </summary>
    public int EnqueueGroupMessage(long chatId, long fromUserId, string text, int? topicId = null, string? languageCode = null) =>
        EnqueueUpdate(new JsonObject { ["message"] = MessageJson(chatId, UserJson(fromUserId, languageCode), senderChat: false, text, topicId) });

    /// <summary><c>/command@BotName arguments</c> in a group; pass <paramref name="botUsername"/> to address another bot.</summary>
    public int EnqueueGroupCommand(long chatId, long fromUserId, string command, string? arguments = null, string? botUsername = null, int? topicId = null, string? languageCode = null) =>
        EnqueueGroupMessage(chatId, fromUserId, $"/{command}@{botUsername ?? BotUsername}{(string.IsNullOrEmpty(arguments) ? "" : " " + arguments)}", topicId, languageCode);

    /// <param name="languageCode">The user's app language (from.language_code), as Telegram sends it: "ja", "pt-br", …</param>
    public int EnqueuePrivateMessage(long userId, string text, string? languageCode = null)
    {
        lock (_lock)
        {
            _chats.TryAdd(userId, new FakeTelegramChat(userId, "private"));
        }

        return EnqueueUpdate(new JsonObject { ["message"] = MessageJson(userId, UserJson(userId, languageCode), senderChat: false, text) });
    }

    /// <summary>A post in a channel the bot administers: sender_chat is the channel, there is no from.</summary>
    public int EnqueueChannelPost(long chatId, string text)
    {
        lock (_lock)
        {
            if (!_chats.TryGetValue(chatId, out var chat) || chat.Type != "channel")
            {
                _chats[chatId] = new FakeTelegramChat(chatId, "channel", chat?.Title, chat?.Username);
            }
        }

        return EnqueueUpdate(new JsonObject { ["channel_post"] = MessageJson(chatId, from: null, senderChat: true, text) });
    }

    /// <summary>A message from an anonymous group admin: from = GroupAnonymousBot, sender_chat = the group itself.</summary>
    public int EnqueueAnonymousAdminMessage(long chatId, string text)
    {
        var from = new JsonObject
        {
            ["id"] = GroupAnonymousBotId,
            ["is_bot"] = true,
            ["first_name"] = "Group",
            ["username"] = "GroupAnonymousBot",
        };
        return EnqueueUpdate(new JsonObject { ["message"] = MessageJson(chatId, from, senderChat: true, text) });
    }

    /// <summary>The bot's own membership changed, e.g. "left" → "member" (added) or "member" → "kicked" (removed).</summary>
    public int EnqueueMyChatMember(long chatId, long byUserId, string oldStatus, string newStatus)
    {
        JsonObject update;
        lock (_lock)
        {
            update = new JsonObject
            {
                ["my_chat_member"] = new JsonObject
                {
                    ["chat"] = ChatJson(ChatLocked(chatId)),
                    ["from"] = UserJson(byUserId),
                    ["date"] = UnixNow(),
                    ["old_chat_member"] = MemberJson(BotUserJson(), oldStatus),
                    ["new_chat_member"] = MemberJson(BotUserJson(), newStatus),
                },
            };
        }

        return EnqueueUpdate(update);
    }

    public int EnqueueBotAdded(long chatId, long byUserId) => EnqueueMyChatMember(chatId, byUserId, "left", "member");

    public int EnqueueBotKicked(long chatId, long byUserId) => EnqueueMyChatMember(chatId, byUserId, "member", "kicked");

    /// <summary>
    /// getUpdates: confirms (drops) updates below a positive offset, keeps only the last -offset for a negative one,
    /// then returns up to limit updates or blocks up to timeout seconds for one. A newer call ends an older waiting
    /// one with 409, as Telegram allows one consumer.
    /// </summary>
    private async Task<Answer> GetUpdatesAsync(TelegramRequestParameters parameters, CancellationToken aborted)
    {
        int generation;
        DateTimeOffset deadline;
        int limit;
        lock (_lock)
        {
            if (_webhookUrl is not null)
            {
                return Answer.Fail(new TelegramFault(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"));
            }

            generation = ++_pollGeneration;
            var offset = parameters.GetLong("offset") ?? 0;
            if (offset > 0)
            {
                _pending.RemoveAll(update => (int)update["update_id"]! < offset);
            }
            else if (offset < 0)
            {
                _pending.RemoveRange(0, Math.Max(0, _pending.Count + (int)offset));
            }

            if (parameters.GetArray("allowed_updates") is { } allowed)
            {
                _allowedUpdates = [.. allowed.Select(kind => kind?.GetValue<string>() ?? "")];
            }

            limit = Math.Clamp(parameters.GetInt("limit") ?? 100, 1, 100);
            deadline = _time.GetUtcNow().AddSeconds(Math.Max(0, parameters.GetInt("timeout") ?? 0));
            SignalChangeLocked();
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stopping.Token);
        while (true)
        {
            Task changed;
            Task timedOut;
            lock (_lock)
            {
                if (generation != _pollGeneration)
                {
                    return Answer.Fail(TelegramFault.Conflict);
                }

                var batch = _pending.Where(IsAllowedLocked).Take(limit).Select(update => update.DeepClone()).ToArray();
                var remaining = deadline - _time.GetUtcNow();
                if (batch.Length > 0 || remaining <= TimeSpan.Zero || stop.IsCancellationRequested)
                {
                    return Answer.Ok(new JsonArray(batch));
                }

                // The timer starts before the poll reports itself waiting, so a test that advances a fake clock
                // right after WaitForWaitingPollAsync cannot slip in between. The poll waits on the change after
                // its own report: waiting on the one it just signalled would spin.
                timedOut = Task.Delay(remaining, _time, stop.Token);
                _waitingPolls++;
                SignalChangeLocked();
                changed = _changed.Task;
            }

            try
            {
                await Task.WhenAny(changed, timedOut);
            }
            finally
            {
                lock (_lock)
                {
                    _waitingPolls--;
                }
            }
        }
    }

    private bool IsAllowedLocked(JsonObject update)
    {
        var kind = update.Select(property => property.Key).First(key => key != "update_id");
        return _allowedUpdates.Length == 0 ? !OptInUpdates.Contains(kind) : _allowedUpdates.Contains(kind);
    }

    private JsonObject MessageJson(long chatId, JsonObject? from, bool senderChat, string text, int? topicId = null)
    {
        lock (_lock)
        {
            var chat = ChatJson(ChatLocked(chatId));
            var message = new JsonObject
            {
                ["message_id"] = _nextMessageId++,
                ["date"] = UnixNow(),
                ["chat"] = chat,
                ["text"] = text,
            };
            if (from is not null)
            {
                message["from"] = from;
            }

            if (topicId is { } topic)
            {
                chat["is_forum"] = true;
                message["message_thread_id"] = topic;
                message["is_topic_message"] = true;
            }

            if (senderChat)
            {
                message["sender_chat"] = chat.DeepClone();
            }

            if (text.StartsWith('/'))
            {
                var end = text.IndexOfAny([' ', '\n', '\t']);
                message["entities"] = new JsonArray(new JsonObject
                {
                    ["type"] = "bot_command",
                    ["offset"] = 0,
                    ["length"] = end < 0 ? text.Length : end,
                });
            }

            return message;
        }
    }

    private static JsonObject UserJson(long userId, string? languageCode = null)
    {
        var user = new JsonObject
        {
            ["id"] = userId,
            ["is_bot"] = false,
            ["first_name"] = $"User {userId}",
        };
        if (languageCode is not null)
        {
            user["language_code"] = languageCode;
        }

        return user;
    }
}
