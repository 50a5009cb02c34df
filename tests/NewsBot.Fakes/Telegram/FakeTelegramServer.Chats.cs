using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NewsBot.Fakes.Telegram;

/// <summary>Chat members, administrators and the bot's command menu.</summary>
public sealed partial class FakeTelegramServer
{
    private static readonly string[] MemberStatuses = ["creator", "administrator", "member", "restricted", "left", "kicked"];

    private Answer GetChatMember(TelegramRequestParameters parameters)
    {
        lock (_lock)
        {
            if (ResolveChatLocked(parameters, out var chat) is { } fault)
            {
                return Answer.Fail(fault);
            }

            if (parameters.GetLong("user_id") is not { } userId)
            {
                return Answer.Fail(new TelegramFault(400, "Bad Request: invalid user_id specified"));
            }

            var status = _memberStatuses.GetValueOrDefault((chat.Id, userId), "member");
            return Answer.Ok(MemberJson(userId == BotId ? BotUserJson() : UserJson(userId), status));
        }
    }

    private Answer GetChatAdministrators(TelegramRequestParameters parameters)
    {
        lock (_lock)
        {
            if (ResolveChatLocked(parameters, out var chat) is { } fault)
            {
                return Answer.Fail(fault);
            }

            var admins = _memberStatuses
                .Where(entry => entry.Key.ChatId == chat.Id && entry.Value is "creator" or "administrator")
                .OrderBy(entry => entry.Value == "creator" ? 0 : 1)
                .ThenBy(entry => entry.Key.UserId)
                .Select(entry => (JsonNode)MemberJson(entry.Key.UserId == BotId ? BotUserJson() : UserJson(entry.Key.UserId), entry.Value));
            return Answer.Ok(new JsonArray([.. admins]));
        }
    }

    private Answer SetMyCommands(TelegramRequestParameters parameters)
    {
        var commands = new List<FakeBotCommand>();
        foreach (var item in parameters.GetArray("commands") ?? [])
        {
            var command = item?["command"]?.GetValue<string>() ?? "";
            var description = item?["description"]?.GetValue<string>() ?? "";
            if (!CommandName().IsMatch(command))
            {
                return Answer.Fail(new TelegramFault(400, "Bad Request: BOT_COMMAND_INVALID"));
            }

            if (description.Length is < 1 or > 256)
            {
                return Answer.Fail(new TelegramFault(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"));
            }

            commands.Add(new FakeBotCommand(command, description));
        }

        if (commands.Count > 100)
        {
            return Answer.Fail(new TelegramFault(400, "Bad Request: too many commands"));
        }

        lock (_lock)
        {
            _commands[CommandKey(parameters)] = commands;
            return Answer.Ok(true);
        }
    }

    private Answer GetMyCommands(TelegramRequestParameters parameters)
    {
        lock (_lock)
        {
            var commands = _commands.GetValueOrDefault(CommandKey(parameters), []);
            return Answer.Ok(new JsonArray([.. commands.Select(c => (JsonNode)new JsonObject { ["command"] = c.Command, ["description"] = c.Description })]));
        }
    }

    private Answer DeleteMyCommands(TelegramRequestParameters parameters)
    {
        lock (_lock)
        {
            _commands.Remove(CommandKey(parameters));
            return Answer.Ok(true);
        }
    }

    private static string CommandKey(TelegramRequestParameters parameters)
    {
        var scope = parameters.GetObject("scope");
        return CommandKey(
            scope?["type"]?.GetValue<string>() ?? "default",
            NodeText(scope?["chat_id"]),
            NodeText(scope?["user_id"]),
            parameters.GetString("language_code") ?? "");
    }

    private static string CommandKey(string scopeType, string? chatId, string? userId, string languageCode) =>
        $"{scopeType}|{chatId}|{userId}|{languageCode}";

    private static string? NodeText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    /// <summary>A ChatMember of the given status with the fields Telegram always sends for it.</summary>
    private static JsonObject MemberJson(JsonObject user, string status)
    {
        if (!MemberStatuses.Contains(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Not a chat member status.");
        }

        var member = new JsonObject { ["status"] = status, ["user"] = user };
        switch (status)
        {
            case "creator":
                member["is_anonymous"] = false;
                break;
            case "administrator":
                foreach (var right in (string[])["can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
                    "can_manage_video_chats", "can_restrict_members", "can_promote_members", "can_change_info",
                    "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories", "can_post_messages"])
                {
                    member[right] = right is "can_manage_chat" or "can_post_messages";
                }

                break;
            case "restricted":
                member["is_member"] = true;
                member["can_send_messages"] = false;
                member["until_date"] = 0;
                break;
            case "kicked":
                // 0 = banned forever.
                member["until_date"] = 0;
                break;
            default:
                break;
        }

        return member;
    }

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex CommandName();
}
