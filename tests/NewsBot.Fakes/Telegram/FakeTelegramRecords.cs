using System.Text.Json.Nodes;

namespace NewsBot.Fakes.Telegram;

/// <summary>How the fake starts: the token it accepts, who the bot is, its clock and its send limits.</summary>
public sealed record FakeTelegramServerOptions
{
    /// <summary>Telegram.Bot insists on "&lt;digits&gt;:&lt;anything&gt;"; the digits are the bot's user id.</summary>
    public string Token { get; init; } = "123456:TEST";

    public string BotUsername { get; init; } = "NewsBot";

    public string BotFirstName { get; init; } = "News Bot";

    /// <summary>Drives message dates, long-poll timeouts and rate-limit windows; a FakeTimeProvider makes them instant.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public FakeTelegramRateLimits RateLimits { get; init; } = FakeTelegramRateLimits.Realistic;

    /// <summary>Keep only the last this many sent messages and calls (load runs); null keeps all. Counters stay exact.</summary>
    public int? HistoryLimit { get; init; }
}

/// <summary>A sendMessage the fake accepted, as sent.</summary>
/// <param name="Text">The text parameter exactly as received (HTML and all).</param>
/// <param name="VisibleText">What a reader sees: tags removed, entities decoded, trimmed.</param>
public sealed record SentTelegramMessage(
    int MessageId,
    long ChatId,
    string Text,
    string? ParseMode,
    string VisibleText,
    int? MessageThreadId,
    JsonObject? LinkPreviewOptions,
    bool DisableNotification,
    JsonObject? ReplyParameters);

/// <summary>Any call that reached the fake, with the HTTP status it got.</summary>
public sealed record TelegramApiCall(string Method, JsonObject Parameters, int StatusCode)
{
    /// <summary>When the fake answered, on its clock.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>When the request arrived, on its clock: a getUpdates long poll was open from here to <see cref="At"/>.</summary>
    public DateTimeOffset StartedAt { get; init; }
}

/// <summary>A chat the fake knows: its type is "private", "group", "supergroup" or "channel".</summary>
public sealed record FakeTelegramChat(long Id, string Type, string? Title = null, string? Username = null);

/// <summary>A command registered with setMyCommands.</summary>
public sealed record FakeBotCommand(string Command, string Description);
