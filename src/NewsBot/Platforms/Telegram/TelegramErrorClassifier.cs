using System.Net;
using Telegram.Bot.Exceptions;

namespace NewsBot.Platforms.Telegram;

public enum TelegramErrorKind
{
    /// <summary>Telegram or the network hiccupped: retry later with backoff.</summary>
    Transient,
    /// <summary>429: wait <see cref="TelegramError.RetryAfter"/>, then retry.</summary>
    RateLimited,
    /// <summary>The chat is gone for us (blocked, kicked, deleted, no rights): disable the channel.</summary>
    Permanent,
    /// <summary>The group became a supergroup: store <see cref="TelegramError.MigrateToChatId"/> and resend.</summary>
    Migrated,
    /// <summary>The token is wrong or revoked: stop talking to Telegram until reconfigured.</summary>
    Unauthorized,
    /// <summary>
    /// This one request was refused (bad HTML, too long, bad argument): drop or fix the message, keep the channel.
    /// A bug on our side, never a reason to disable a chat.
    /// </summary>
    Rejected,
}

/// <param name="Reason">A short code such as "telegram.blocked", for logs and the channel's disabled reason.</param>
public sealed record TelegramError(TelegramErrorKind Kind, string Reason, TimeSpan? RetryAfter = null, long? MigrateToChatId = null);

/// <summary>
/// Sorts Telegram.Bot exceptions into what the sender should do next, by error_code and the description texts the
/// Bot API returns (core.telegram.org/bots/api#making-requests and the documented 403/400 texts for bots).
/// </summary>
public static class TelegramErrorClassifier
{
    /// <summary>Used when a 429 carries no retry_after, which the API does not promise.</summary>
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>Description fragments (lower case) that mean the bot can no longer post to the chat.</summary>
    private static readonly (string Fragment, string Reason)[] PermanentTexts =
    [
        ("bot was blocked by the user", "telegram.blocked"),
        ("bot was kicked", "telegram.kicked"),
        ("bot is not a member", "telegram.not_member"),
        ("user is deactivated", "telegram.user_deactivated"),
        ("chat was deleted", "telegram.chat_deleted"),
        ("bot can't initiate conversation", "telegram.cant_initiate"),
        ("bot can't send messages to bots", "telegram.chat_is_bot"),
        ("chat not found", "telegram.chat_not_found"),
        ("not enough rights", "telegram.not_enough_rights"),
        ("need administrator rights", "telegram.need_admin_rights"),
        ("have no rights to send a message", "telegram.not_enough_rights"),
        ("chat_write_forbidden", "telegram.not_enough_rights"),
    ];

    public static TelegramError Classify(RequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is ApiRequestException api ? ClassifyApi(api) : ClassifyTransport(exception);
    }

    private static TelegramError ClassifyApi(ApiRequestException exception)
    {
        if (exception.Parameters?.MigrateToChatId is { } newChatId)
        {
            return new TelegramError(TelegramErrorKind.Migrated, "telegram.migrated", MigrateToChatId: newChatId);
        }

        if (exception.ErrorCode == 429 || exception.Parameters?.RetryAfter is not null)
        {
            var retryAfter = exception.Parameters?.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultRetryAfter;
            return new TelegramError(TelegramErrorKind.RateLimited, "telegram.rate_limited", RetryAfter: retryAfter);
        }

        var description = exception.Message.ToLowerInvariant();
        foreach (var (fragment, reason) in PermanentTexts)
        {
            if (description.Contains(fragment, StringComparison.Ordinal))
            {
                return new TelegramError(TelegramErrorKind.Permanent, reason);
            }
        }

        return exception.ErrorCode switch
        {
            // 404 comes back for a malformed token (the token is the only variable part of the URL we build).
            401 or 404 => new TelegramError(TelegramErrorKind.Unauthorized, "telegram.unauthorized"),
            403 => new TelegramError(TelegramErrorKind.Permanent, "telegram.forbidden"),
            // Another getUpdates consumer or a webhook; the poller backs off and tries again.
            409 => new TelegramError(TelegramErrorKind.Transient, "telegram.conflict"),
            >= 500 => new TelegramError(TelegramErrorKind.Transient, "telegram.server_error"),
            400 when description.Contains("message is too long", StringComparison.Ordinal) =>
                new TelegramError(TelegramErrorKind.Rejected, "telegram.message_too_long"),
            400 when description.Contains("can't parse entities", StringComparison.Ordinal) =>
                new TelegramError(TelegramErrorKind.Rejected, "telegram.bad_html"),
            400 => new TelegramError(TelegramErrorKind.Rejected, "telegram.bad_request"),
            _ => new TelegramError(TelegramErrorKind.Transient, $"telegram.error_{exception.ErrorCode}"),
        };
    }

    /// <summary>No Bot API envelope came back: the connection failed, timed out, or a proxy answered.</summary>
    private static TelegramError ClassifyTransport(RequestException exception) => exception.HttpStatusCode switch
    {
        HttpStatusCode.Unauthorized => new TelegramError(TelegramErrorKind.Unauthorized, "telegram.unauthorized"),
        HttpStatusCode.TooManyRequests => new TelegramError(TelegramErrorKind.RateLimited, "telegram.rate_limited", RetryAfter: DefaultRetryAfter),
        { } status when (int)status >= 500 => new TelegramError(TelegramErrorKind.Transient, "telegram.server_error"),
        { } => new TelegramError(TelegramErrorKind.Transient, "telegram.bad_response"),
        null when exception.InnerException is TaskCanceledException or TimeoutException =>
            new TelegramError(TelegramErrorKind.Transient, "telegram.timeout"),
        null => new TelegramError(TelegramErrorKind.Transient, "telegram.network"),
    };
}
