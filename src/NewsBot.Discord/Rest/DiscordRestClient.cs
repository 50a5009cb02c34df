using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Wire;

namespace NewsBot.Discord.Rest;

/// <summary>
/// Typed HttpClient for the Discord REST API. Every call returns a <see cref="DiscordResult{T}"/>; limits,
/// allowed_mentions and rate limits are enforced here so callers cannot get them wrong.
/// </summary>
public sealed partial class DiscordRestClient
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly AllowedMentions NoMentions = new() { Parse = [] };

    /// <summary>A 429 was not applied, so waiting and repeating is safe; the bound only stops a pathological loop.</summary>
    private const int MaxRateLimitedRetries = 10;

    private readonly HttpClient _http;
    private readonly DiscordRateLimiter _limiter;
    private readonly DiscordClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordRestClient> _logger;

    public DiscordRestClient(HttpClient http, DiscordRateLimiter limiter, IOptions<DiscordClientOptions> options,
        TimeProvider time, ILogger<DiscordRestClient> logger)
    {
        _http = http;
        _limiter = limiter;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>POST /channels/{id}/messages. With a nonce, enforce_nonce makes a resend after a crash or timeout safe.</summary>
    public Task<DiscordResult<Message>> CreateMessageAsync(ulong channelId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var body = new MessageRequest
        {
            Content = MessageLimits.TruncateContent(message.Content),
            Embeds = MessageLimits.Fit(message.Embeds),
            AllowedMentions = Mentions(message.AllowedMentions),
            Nonce = message.Nonce,
            EnforceNonce = message.Nonce is null ? null : true,
            Flags = Flags(message.Flags & ~MessageFlags.Ephemeral),
        };
        return SendAsync(DiscordRoute.CreateMessage(channelId, message.Nonce is not null),
            Serialize(body, DiscordJsonContext.Default.MessageRequest), DiscordJsonContext.Default.Message, cancellationToken);
    }

    /// <summary>PATCH /channels/{id}/messages/{id}.</summary>
    public Task<DiscordResult<Message>> EditMessageAsync(ulong channelId, ulong messageId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var body = new MessageRequest
        {
            Content = MessageLimits.TruncateContent(message.Content),
            Embeds = MessageLimits.Fit(message.Embeds),
            AllowedMentions = Mentions(message.AllowedMentions),
            Flags = Flags(message.Flags & MessageFlags.SuppressEmbeds),
        };
        return SendAsync(DiscordRoute.EditMessage(channelId, messageId),
            Serialize(body, DiscordJsonContext.Default.MessageRequest), DiscordJsonContext.Default.Message, cancellationToken);
    }

    /// <summary>POST /interactions/{id}/{token}/callback: must happen within 3 s of the interaction; exempt from the global limit.</summary>
    public Task<DiscordResult<NoContent>> CreateInteractionResponseAsync(ulong interactionId, string interactionToken,
        InteractionResponse response, CancellationToken cancellationToken)
    {
        var body = ToCallback(response);
        return SendAsync<NoContent>(DiscordRoute.InteractionCallback(interactionId, interactionToken),
            Serialize(body, DiscordJsonContext.Default.InteractionCallback), null, cancellationToken);
    }

    /// <summary>PATCH /webhooks/{application_id}/{token}/messages/@original: fills in a deferred reply.</summary>
    public Task<DiscordResult<Message>> EditOriginalResponseAsync(ulong applicationId, string interactionToken,
        OutgoingMessage message, CancellationToken cancellationToken) =>
        SendAsync(DiscordRoute.EditOriginal(applicationId, interactionToken),
            Serialize(ToWebhookMessage(message, MessageFlags.SuppressEmbeds), DiscordJsonContext.Default.WebhookMessageRequest),
            DiscordJsonContext.Default.Message, cancellationToken);

    /// <summary>POST /webhooks/{application_id}/{token}: a followup message (EPHEMERAL allowed).</summary>
    public Task<DiscordResult<Message>> CreateFollowupAsync(ulong applicationId, string interactionToken,
        OutgoingMessage message, CancellationToken cancellationToken) =>
        SendAsync(DiscordRoute.CreateFollowup(applicationId, interactionToken),
            Serialize(ToWebhookMessage(message, MessageFlags.SuppressEmbeds | MessageFlags.Ephemeral | MessageFlags.SuppressNotifications),
                DiscordJsonContext.Default.WebhookMessageRequest),
            DiscordJsonContext.Default.Message, cancellationToken);

    /// <summary>
    /// PUT the whole command set (global, or one guild when <paramref name="guildId"/> is set). New commands count
    /// toward 200 creates/day/guild, so compare <see cref="CommandSetHash.Compute"/> first and skip unchanged sets.
    /// </summary>
    public Task<DiscordResult<IReadOnlyList<ApplicationCommand>>> BulkOverwriteCommandsAsync(ulong applicationId, ulong? guildId,
        IReadOnlyList<ApplicationCommand> commands, CancellationToken cancellationToken) =>
        SendAsync(DiscordRoute.BulkOverwriteCommands(applicationId, guildId),
            Serialize(commands, DiscordJsonContext.Default.IReadOnlyListApplicationCommand),
            DiscordJsonContext.Default.IReadOnlyListApplicationCommand, cancellationToken);

    /// <summary>GET /gateway/bot: gateway URL, recommended shards and the identify budget.</summary>
    public Task<DiscordResult<GatewayBotInfo>> GetGatewayBotAsync(CancellationToken cancellationToken) =>
        SendAsync(DiscordRoute.GatewayBot, null, DiscordJsonContext.Default.GatewayBotInfo, cancellationToken);

    /// <summary>GET /applications/@me: the application id needed for commands and followups.</summary>
    public Task<DiscordResult<Application>> GetCurrentApplicationAsync(CancellationToken cancellationToken) =>
        SendAsync(DiscordRoute.CurrentApplication, null, DiscordJsonContext.Default.Application, cancellationToken);

    /// <summary>POST /channels/{id}/webhooks (needs MANAGE_WEBHOOKS; name 1–80, no "clyde"/"discord").</summary>
    public Task<DiscordResult<Webhook>> CreateWebhookAsync(ulong channelId, string name, CancellationToken cancellationToken) =>
        SendAsync(DiscordRoute.CreateWebhook(channelId),
            Serialize(new WebhookCreateRequest { Name = name }, DiscordJsonContext.Default.WebhookCreateRequest),
            DiscordJsonContext.Default.Webhook, cancellationToken);

    /// <summary>
    /// POST /webhooks/{id}/{token}?wait=true: without wait a failure is a silent 204. No bot token is sent.
    /// <paramref name="target"/> posts into a thread of the webhook's channel, or opens a new post when the channel is a forum.
    /// </summary>
    public Task<DiscordResult<Message>> ExecuteWebhookAsync(ulong webhookId, string webhookToken, OutgoingMessage message,
        CancellationToken cancellationToken, WebhookTarget? target = null) =>
        SendAsync(DiscordRoute.ExecuteWebhook(webhookId, webhookToken, target?.ThreadId),
            Serialize(ToWebhookMessage(message, MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications) with
            {
                ThreadName = target?.ForumPost is { } post ? MessageLimits.ThreadName(post.Name) : null,
                AppliedTags = target?.ForumPost is { AppliedTags.Count: > 0 } tagged ? [.. tagged.AppliedTags.Take(MessageLimits.AppliedTags)] : null,
            }, DiscordJsonContext.Default.WebhookMessageRequest),
            DiscordJsonContext.Default.Message, cancellationToken);

    /// <summary>GET /channels/{id}: type, parent, flags and a forum's tags.</summary>
    public Task<DiscordResult<ChannelInfo>> GetChannelAsync(ulong channelId, CancellationToken cancellationToken) =>
        SendAsync(DiscordRoute.GetChannel(channelId), null, DiscordJsonContext.Default.ChannelInfo, cancellationToken);

    /// <summary>
    /// POST /channels/{id}/threads on a forum or media channel: a new post (thread) named <paramref name="post"/>.Name
    /// (cut to 100 characters) whose starter message is <paramref name="message"/>. Forum posts take no nonce.
    /// </summary>
    public Task<DiscordResult<ChannelInfo>> CreateForumPostAsync(ulong forumId, ForumPost post, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var body = new ForumThreadRequest
        {
            Name = MessageLimits.ThreadName(post.Name),
            Message = new ForumThreadMessage
            {
                Content = MessageLimits.TruncateContent(message.Content),
                Embeds = MessageLimits.Fit(message.Embeds),
                AllowedMentions = Mentions(message.AllowedMentions),
                Flags = Flags(message.Flags & (MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications)),
            },
            AppliedTags = post.AppliedTags.Count == 0 ? null : [.. post.AppliedTags.Take(MessageLimits.AppliedTags)],
        };
        return SendAsync(DiscordRoute.CreateThread(forumId), Serialize(body, DiscordJsonContext.Default.ForumThreadRequest),
            DiscordJsonContext.Default.ChannelInfo, cancellationToken);
    }

    internal static InteractionCallback ToCallback(InteractionResponse response) => new()
    {
        Type = response.Type,
        Data = response switch
        {
            { Choices: { } choices } => new InteractionCallbackData
            {
                Choices = [.. choices.Take(MessageLimits.Choices).Select(c => c with { Name = MessageLimits.Truncate(c.Name, MessageLimits.ChoiceName) })],
            },
            { Type: 5, Message: { } deferred } => new InteractionCallbackData { Flags = Flags(deferred.Flags & MessageFlags.Ephemeral) },
            { Message: { } message } => new InteractionCallbackData
            {
                Content = MessageLimits.TruncateContent(message.Content),
                Embeds = MessageLimits.Fit(message.Embeds),
                AllowedMentions = Mentions(message.AllowedMentions),
                Flags = Flags(message.Flags & (MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications)),
            },
            _ => null,
        },
    };

    /// <summary>Everything is "mention nobody" unless the caller lists exact users or roles; blanket parse types never pass.</summary>
    private static AllowedMentions Mentions(AllowedMentions? requested) =>
        requested is { Users.Count: > 0 } or { Roles.Count: > 0 }
            ? new AllowedMentions { Parse = [], Users = requested.Users, Roles = requested.Roles, RepliedUser = false }
            : NoMentions;

    private static int? Flags(MessageFlags flags) => flags == MessageFlags.None ? null : (int)flags;

    private static WebhookMessageRequest ToWebhookMessage(OutgoingMessage message, MessageFlags allowedFlags) => new()
    {
        Content = MessageLimits.TruncateContent(message.Content),
        Embeds = MessageLimits.Fit(message.Embeds),
        AllowedMentions = Mentions(message.AllowedMentions),
        Flags = Flags(message.Flags & allowedFlags),
        Username = message.Username,
        AvatarUrl = message.AvatarUrl,
    };

    private static byte[] Serialize<TBody>(TBody body, JsonTypeInfo<TBody> info) => JsonSerializer.SerializeToUtf8Bytes(body, info);

    private async Task<DiscordResult<T>> SendAsync<T>(DiscordRoute route, byte[]? body, JsonTypeInfo<T>? responseInfo,
        CancellationToken cancellationToken)
        where T : class
    {
        using var lease = route.Queued ? await _limiter.EnterRouteAsync(route, cancellationToken) : null;
        var failures = 0;
        var rateLimited = 0;
        while (true)
        {
            // Checked after queueing too: requests waiting behind a 403 must not repeat it.
            if (_limiter.CheckGuards(route) is { } refused)
            {
                return refused;
            }

            var canRetry = failures < _options.MaxRetries;
            if (route.Queued)
            {
                await _limiter.WaitForRouteAsync(route, cancellationToken);
            }

            HttpResponseMessage response;
            try
            {
                using var slot = route.BotAuth ? await _limiter.AcquireGlobalAsync(cancellationToken) : null;
                using var request = BuildRequest(route, body);
                response = await _http.SendAsync(request, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // A timed-out POST may have been applied: only nonce-protected creates and idempotent verbs retry.
                LogNetworkError(_logger, route.Template, failures + 1, ex);
                if (route.SafeToRetry && canRetry)
                {
                    await Task.Delay(Backoff(failures++), _time, cancellationToken);
                    continue;
                }

                return new DiscordError(DiscordErrorKind.Transient, "discord.network_error", ex.Message);
            }

            using (response)
            {
                _limiter.Observe(route, response);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return await ReadSuccessAsync(response, responseInfo, cancellationToken);
                }

                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (status == 429)
                {
                    // A 429 was not applied, so repeating any request is safe.
                    var retryAfter = _limiter.OnRateLimited(route, response, ParseBody(text, DiscordJsonContext.Default.RateLimitBody));
                    if (++rateLimited <= MaxRateLimitedRetries)
                    {
                        if (!route.Queued)
                        {
                            await Task.Delay(retryAfter, _time, cancellationToken);
                        }

                        continue;
                    }

                    return new DiscordError(DiscordErrorKind.RateLimited, "discord.rate_limited", "rate limited after retries", status, RetryAfter: retryAfter);
                }

                if (status >= 500)
                {
                    if (route.SafeToRetry && canRetry)
                    {
                        await Task.Delay(Backoff(failures++), _time, cancellationToken);
                        continue;
                    }

                    return new DiscordError(DiscordErrorKind.Transient, "discord.server_error", $"Discord answered {status}", status);
                }

                var error = ParseBody(text, DiscordJsonContext.Default.ErrorBody);
                _limiter.OnFailure(route, status, error?.Code);
                return Classify(route, status, error);
            }
        }
    }

    private HttpRequestMessage BuildRequest(DiscordRoute route, byte[]? body)
    {
        var request = new HttpRequestMessage(route.Method, new Uri(_options.ApiBaseUrl.TrimEnd('/') + route.Path));
        if (route.BotAuth)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", _options.Token);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = Json;
        }

        return request;
    }

    private static async Task<DiscordResult<T>> ReadSuccessAsync<T>(HttpResponseMessage response, JsonTypeInfo<T>? info, CancellationToken cancellationToken)
        where T : class
    {
        if (info is null)
        {
            return DiscordResult<T>.Success((T)(object)NoContent.Instance);
        }

        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var value = await JsonSerializer.DeserializeAsync(stream, info, cancellationToken);
            return value is null
                ? new DiscordError(DiscordErrorKind.Transient, "discord.empty_response", "Discord answered without a body", (int)response.StatusCode)
                : DiscordResult<T>.Success(value);
        }
        catch (JsonException ex)
        {
            return new DiscordError(DiscordErrorKind.Transient, "discord.bad_response", ex.Message, (int)response.StatusCode);
        }
    }

    private static TBody? ParseBody<TBody>(string text, JsonTypeInfo<TBody> info)
        where TBody : class
    {
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize(text, info);
        }
        catch (JsonException)
        {
            // Cloudflare answers HTML on some errors; the status code alone classifies those.
            return null;
        }
    }

    /// <summary>Error table of the platform reference, section 3.</summary>
    private static DiscordError Classify(DiscordRoute route, int status, ErrorBody? body)
    {
        var code = body?.Code;
        var message = body?.Message ?? $"HTTP {status}";
        return (status, code) switch
        {
            (401, _) when route.BotAuth => new(DiscordErrorKind.Unauthorized, "discord.unauthorized", message, status, code),
            (_, 10003) => new(DiscordErrorKind.Permanent, "discord.unknown_channel", message, status, code),
            (_, 10004) => new(DiscordErrorKind.Permanent, "discord.unknown_guild", message, status, code),
            (_, 10008) => new(DiscordErrorKind.Permanent, "discord.unknown_message", message, status, code),
            (_, 10015 or 50027) => new(DiscordErrorKind.Permanent, "discord.unknown_webhook", message, status, code),
            (_, 10062 or 40060) => new(DiscordErrorKind.Permanent, "discord.interaction_expired", message, status, code),
            (_, 50001) => new(DiscordErrorKind.Permanent, "discord.missing_access", message, status, code),
            (_, 50013) => new(DiscordErrorKind.Permanent, "discord.missing_permissions", message, status, code),
            // A locked archived thread takes no posts until a moderator reopens it; a forum requiring a tag none of ours fits.
            (_, 50083) => new(DiscordErrorKind.Permanent, "discord.thread_archived", message, status, code),
            (_, 40067) => new(DiscordErrorKind.Permanent, "discord.forum_tag_required", message, status, code),
            (_, 20028 or 20016) => new(DiscordErrorKind.RateLimited, "discord.write_limited", message, status, code),
            (401 or 403 or 404, _) => new(DiscordErrorKind.Permanent, "discord.not_available", message, status, code),
            (_, 50035) => new(DiscordErrorKind.Invalid, "discord.invalid_form_body", FormErrors(message, body), status, code),
            _ => new(DiscordErrorKind.Invalid, "discord.invalid_request", message, status, code),
        };
    }

    /// <summary>Appends the first leaf of the errors tree ("embeds.0.title: Must be 256 or fewer in length.").</summary>
    private static string FormErrors(string message, ErrorBody? body)
    {
        if (body?.Errors is not { ValueKind: JsonValueKind.Object } errors)
        {
            return message;
        }

        var path = new List<string>();
        var node = errors;
        while (node.ValueKind == JsonValueKind.Object)
        {
            if (node.TryGetProperty("_errors", out var leaves) && leaves.ValueKind == JsonValueKind.Array && leaves.GetArrayLength() > 0)
            {
                var leaf = leaves[0].TryGetProperty("message", out var text) ? text.GetString() : null;
                return $"{message}: {string.Join('.', path)}: {leaf}";
            }

            using var properties = node.EnumerateObject();
            if (!properties.MoveNext())
            {
                break;
            }

            path.Add(properties.Current.Name);
            node = properties.Current.Value;
        }

        return message;
    }

    /// <summary>0.5 s, 1 s, 2 s … for 5xx and network errors (discord.js retries 3 times).</summary>
    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(500 * (1 << Math.Min(attempt, 6)));

    // The caller gets the failure as a result and reports the outage once; a stack trace per attempt buried the log.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord request {Route} failed on attempt {Attempt}")]
    private static partial void LogNetworkError(ILogger logger, string route, int attempt, Exception exception);
}
