namespace NewsBot.Fakes.Telegram;

/// <summary>An error answer in the Bot API envelope: HTTP status = error_code, plus optional parameters.</summary>
public sealed record TelegramFault(int ErrorCode, string Description, int? RetryAfter = null, long? MigrateToChatId = null)
{
    public static TelegramFault BotBlocked { get; } = new(403, "Forbidden: bot was blocked by the user");

    public static TelegramFault BotKickedFromSupergroup { get; } = new(403, "Forbidden: bot was kicked from the supergroup chat");

    public static TelegramFault BotKickedFromGroup { get; } = new(403, "Forbidden: bot was kicked from the group chat");

    public static TelegramFault NotAMember { get; } = new(403, "Forbidden: bot is not a member of the channel chat");

    public static TelegramFault UserDeactivated { get; } = new(403, "Forbidden: user is deactivated");

    public static TelegramFault ChatNotFound { get; } = new(400, "Bad Request: chat not found");

    public static TelegramFault NotEnoughRights { get; } = new(400, "Bad Request: not enough rights to send text messages to the chat");

    public static TelegramFault Conflict { get; } =
        new(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");

    public static TelegramFault Unauthorized { get; } = new(401, "Unauthorized");

    public static TelegramFault BadGateway { get; } = new(502, "Bad Gateway");

    public static TelegramFault Migrated(long newChatId) =>
        new(400, "Bad Request: group chat was upgraded to a supergroup chat", MigrateToChatId: newChatId);

    public static TelegramFault TooManyRequests(int retryAfterSeconds) =>
        new(429, $"Too Many Requests: retry after {retryAfterSeconds}", RetryAfter: retryAfterSeconds);
}
