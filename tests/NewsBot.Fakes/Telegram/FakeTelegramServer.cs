using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NewsBot.Fakes.Telegram;

/// <summary>
/// A loopback Telegram Bot API (core.telegram.org/bots/api) for tests and the load harness. Serves
/// <c>/bot{token}/{method}</c> at its root because Telegram.Bot keeps only scheme, host and port of a base URL.
/// Answers in the documented envelope, enforces the documented limits, and lets a test inject the errors a
/// real bot meets: blocked, kicked, chat not found, migrated groups, 429s and 409 conflicts.
/// </summary>
public sealed partial class FakeTelegramServer : IAsyncDisposable
{
    public const int MaxMessageLength = 4096;

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _time;
    private readonly Queue<SentTelegramMessage> _sent = new();
    private readonly Queue<TelegramApiCall> _calls = new();
    private readonly int? _historyLimit;
    private readonly List<long> _leftChats = [];
    private readonly Dictionary<long, FakeTelegramChat> _chats = [];
    private readonly Dictionary<long, TelegramFault> _chatFaults = [];
    private readonly Dictionary<string, Queue<TelegramFault>> _nextFaults = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(long ChatId, long UserId), string> _memberStatuses = [];
    private readonly Dictionary<string, IReadOnlyList<FakeBotCommand>> _commands = [];
    private readonly Dictionary<long, SlidingWindow> _perChat = [];
    private readonly Dictionary<long, SlidingWindow> _perGroup = [];
    private SlidingWindow? _global;
    private FakeTelegramRateLimits _rateLimits;
    private WebApplication? _app;
    private int _nextMessageId = 1;
    private int _tooManyRequests;
    private int _conflicts;
    private int _sentCount;
    private int _disposed;
    private string? _webhookUrl;
    private TaskCompletionSource _changed = NewSignal();

    private FakeTelegramServer(FakeTelegramServerOptions options)
    {
        Token = options.Token;
        BotId = long.Parse(options.Token.Split(':')[0], CultureInfo.InvariantCulture);
        BotUsername = options.BotUsername;
        BotFirstName = options.BotFirstName;
        _time = options.TimeProvider;
        _rateLimits = options.RateLimits;
        _historyLimit = options.HistoryLimit;
    }

    /// <summary>Pass as <c>baseUrl</c> to <c>TelegramBotClientOptions</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public string Token { get; }

    public long BotId { get; }

    public string BotUsername { get; }

    public string BotFirstName { get; }

    public FakeTelegramRateLimits RateLimits
    {
        get { lock (_lock) { return _rateLimits; } }
        set
        {
            lock (_lock)
            {
                _rateLimits = value;
                _perChat.Clear();
                _perGroup.Clear();
                _global = null;
            }
        }
    }

    public IReadOnlyList<SentTelegramMessage> SentMessages
    {
        get { lock (_lock) { return [.. _sent]; } }
    }

    public IReadOnlyList<TelegramApiCall> Calls
    {
        get { lock (_lock) { return [.. _calls]; } }
    }

    public IReadOnlyList<long> LeftChats
    {
        get { lock (_lock) { return [.. _leftChats]; } }
    }

    /// <summary>Every accepted message, including those <see cref="FakeTelegramServerOptions.HistoryLimit"/> dropped.</summary>
    public int SentCount
    {
        get { lock (_lock) { return _sentCount; } }
    }

    /// <summary>How many 429 answers the rate limiter or injected faults gave.</summary>
    public int TooManyRequestsCount
    {
        get { lock (_lock) { return _tooManyRequests; } }
    }

    /// <summary>
    /// How many getUpdates calls got 409 Conflict: ended by a newer poller, or made while a webhook is set. Two
    /// processes polling one token make this grow; exact even when <see cref="FakeTelegramServerOptions.HistoryLimit"/> drops calls.
    /// </summary>
    public int ConflictCount
    {
        get { lock (_lock) { return _conflicts; } }
    }

    public string? WebhookUrl
    {
        get { lock (_lock) { return _webhookUrl; } }
    }

    public static async Task<FakeTelegramServer> StartAsync(FakeTelegramServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new FakeTelegramServer(options ?? new FakeTelegramServerOptions());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server._app = app;
        server.BaseUrl = address.TrimEnd('/');
        return server;
    }

    /// <summary>Declares a chat's type, title or @username; undeclared chats get a type from the shape of their id.</summary>
    public void AddChat(FakeTelegramChat chat)
    {
        lock (_lock)
        {
            _chats[chat.Id] = chat;
        }
    }

    /// <summary>Every chat-scoped call for <paramref name="chatId"/> fails with <paramref name="fault"/>; null clears it.</summary>
    public void SetChatFault(long chatId, TelegramFault? fault)
    {
        lock (_lock)
        {
            if (fault is null)
            {
                _chatFaults.Remove(chatId);
            }
            else
            {
                _chatFaults[chatId] = fault;
            }
        }
    }

    /// <summary>The next call of <paramref name="method"/> (any chat) fails once with <paramref name="fault"/>.</summary>
    public void FailNext(string method, TelegramFault fault)
    {
        lock (_lock)
        {
            if (!_nextFaults.TryGetValue(method, out var queue))
            {
                queue = new Queue<TelegramFault>();
                _nextFaults[method] = queue;
            }

            queue.Enqueue(fault);
        }
    }

    /// <summary>
    /// What getChatMember reports for the user: creator, administrator, member, restricted, left or kicked.
    /// Users never set are members.
    /// </summary>
    public void SetChatMemberStatus(long chatId, long userId, string status)
    {
        lock (_lock)
        {
            _memberStatuses[(chatId, userId)] = status;
        }
    }

    /// <summary>The commands registered for a scope type (default, all_private_chats, chat, ...) and language.</summary>
    public IReadOnlyList<FakeBotCommand> GetCommands(string scopeType = "default", long? chatId = null, long? userId = null, string languageCode = "")
    {
        lock (_lock)
        {
            return _commands.GetValueOrDefault(CommandKey(scopeType, chatId?.ToString(CultureInfo.InvariantCulture), userId?.ToString(CultureInfo.InvariantCulture), languageCode), []);
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> messages were accepted.</summary>
    public Task WaitForMessagesAsync(int count, CancellationToken cancellationToken) =>
        WaitUntilAsync(() => _sentCount >= count, cancellationToken);

    /// <summary>Completes once at least <paramref name="count"/> messages to <paramref name="chatId"/> were accepted (and are still in the history).</summary>
    public Task WaitForMessagesToAsync(long chatId, int count, CancellationToken cancellationToken) =>
        WaitUntilAsync(() => _sent.Count(message => message.ChatId == chatId) >= count, cancellationToken);

    /// <summary>Completes once <paramref name="method"/> was called at least <paramref name="count"/> times (and the calls are still in the history).</summary>
    public Task WaitForCallsAsync(string method, int count, CancellationToken cancellationToken) =>
        WaitUntilAsync(() => _calls.Count(call => string.Equals(call.Method, method, StringComparison.OrdinalIgnoreCase)) >= count, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Ends waiting long polls first; Kestrel would otherwise wait for them to time out.
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (condition())
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Wakes every waiter (long polls, WaitFor* helpers); they re-check their condition. Call under the lock.</summary>
    private void SignalChangeLocked()
    {
        _changed.TrySetResult();
        _changed = NewSignal();
    }

    private void Remember<T>(Queue<T> history, T item)
    {
        history.Enqueue(item);
        while (history.Count > _historyLimit)
        {
            history.Dequeue();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task HandleAsync(HttpContext context)
    {
        var match = MethodPath().Match(context.Request.Path.Value ?? "");
        if (!match.Success)
        {
            await WriteAsync(context, Answer.Fail(new TelegramFault(404, "Not Found")));
            return;
        }

        var startedAt = _time.GetUtcNow();
        var token = match.Groups["token"].Value;
        var method = match.Groups["method"].Value;
        TelegramRequestParameters parameters;
        try
        {
            parameters = await TelegramRequestParameters.ReadAsync(context.Request, context.RequestAborted);
        }
        catch (JsonException)
        {
            await WriteAsync(context, Answer.Fail(new TelegramFault(400, "Bad Request: can't parse JSON object")));
            return;
        }

        Answer answer;
        if (token != Token)
        {
            answer = Answer.Fail(TelegramFault.Unauthorized);
        }
        else
        {
            answer = TakeInjectedFault(method) ?? await DispatchAsync(method.ToLowerInvariant(), parameters, context.RequestAborted);
        }

        lock (_lock)
        {
            Remember(_calls, new TelegramApiCall(method, (JsonObject)parameters.Values.DeepClone(), answer.Fault?.ErrorCode ?? 200) { At = _time.GetUtcNow(), StartedAt = startedAt });
            if (answer.Fault?.ErrorCode == 429)
            {
                _tooManyRequests++;
            }
            else if (answer.Fault?.ErrorCode == 409)
            {
                _conflicts++;
            }

            SignalChangeLocked();
        }

        await WriteAsync(context, answer);
    }

    private Answer? TakeInjectedFault(string method)
    {
        lock (_lock)
        {
            return _nextFaults.TryGetValue(method, out var queue) && queue.TryDequeue(out var fault) ? Answer.Fail(fault) : null;
        }
    }

    private async Task<Answer> DispatchAsync(string method, TelegramRequestParameters parameters, CancellationToken aborted) => method switch
    {
        "getme" => Answer.Ok(BotUserJson()),
        "getupdates" => await GetUpdatesAsync(parameters, aborted),
        "sendmessage" => SendMessage(parameters),
        "setmycommands" => SetMyCommands(parameters),
        "getmycommands" => GetMyCommands(parameters),
        "deletemycommands" => DeleteMyCommands(parameters),
        "getchatmember" => GetChatMember(parameters),
        "getchatadministrators" => GetChatAdministrators(parameters),
        "setwebhook" => SetWebhook(parameters),
        "deletewebhook" => DeleteWebhook(parameters),
        "getwebhookinfo" => GetWebhookInfo(),
        "leavechat" => LeaveChat(parameters),
        _ => Answer.Fail(new TelegramFault(404, "Not Found")),
    };

    private Answer SendMessage(TelegramRequestParameters parameters)
    {
        lock (_lock)
        {
            if (ResolveChatLocked(parameters, out var chat) is { } chatFault)
            {
                return Answer.Fail(chatFault);
            }

            var text = parameters.GetString("text") ?? "";
            var parseMode = parameters.GetString("parse_mode");
            string visible;
            if (parseMode is null || parseMode.Length == 0)
            {
                visible = text;
            }
            else if (string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase))
            {
                var parsed = TelegramHtmlValidator.Parse(text);
                if (!parsed.IsValid)
                {
                    return Answer.Fail(new TelegramFault(400, $"Bad Request: can't parse entities: {parsed.Error}"));
                }

                visible = parsed.Text;
            }
            else if (parseMode.StartsWith("Markdown", StringComparison.OrdinalIgnoreCase))
            {
                // Markdown is not parsed by the fake: NewsBot sends HTML only.
                visible = text;
            }
            else
            {
                return Answer.Fail(new TelegramFault(400, $"Bad Request: unsupported parse_mode \"{parseMode}\""));
            }

            // Telegram trims the text and counts UTF-16 code units after entity parsing.
            visible = visible.Trim();
            if (visible.Length == 0)
            {
                return Answer.Fail(new TelegramFault(400, "Bad Request: message text is empty"));
            }

            if (visible.Length > MaxMessageLength)
            {
                return Answer.Fail(new TelegramFault(400, "Bad Request: message is too long"));
            }

            if (TakeSendSlotLocked(chat) is { } limited)
            {
                return Answer.Fail(limited);
            }

            var message = new SentTelegramMessage(
                _nextMessageId++,
                chat.Id,
                text,
                parseMode,
                visible,
                parameters.GetInt("message_thread_id"),
                parameters.GetObject("link_preview_options")?.DeepClone() as JsonObject,
                parameters.GetBool("disable_notification"),
                parameters.GetObject("reply_parameters")?.DeepClone() as JsonObject);
            Remember(_sent, message);
            _sentCount++;
            var result = new JsonObject
            {
                ["message_id"] = message.MessageId,
                ["date"] = UnixNow(),
                ["chat"] = ChatJson(chat),
                ["from"] = BotUserJson(),
                ["text"] = visible,
            };
            if (message.MessageThreadId is { } thread)
            {
                result["message_thread_id"] = thread;
            }

            return Answer.Ok(result);
        }
    }

    /// <summary>Checks the per-chat, per-group and global windows; records the send when all have room.</summary>
    private TelegramFault? TakeSendSlotLocked(FakeTelegramChat chat)
    {
        var now = _time.GetUtcNow();
        var limits = _rateLimits;
        var windows = new List<SlidingWindow>(3);
        if (limits.PerChatBurst is { } burst)
        {
            windows.Add(WindowFor(_perChat, chat.Id, burst, limits.PerChatWindow));
        }

        if (limits.PerGroupPerMinute is { } perMinute && chat.Type is "group" or "supergroup")
        {
            windows.Add(WindowFor(_perGroup, chat.Id, perMinute, TimeSpan.FromMinutes(1)));
        }

        if (limits.GlobalPerSecond is { } perSecond)
        {
            _global ??= new SlidingWindow(perSecond, TimeSpan.FromSeconds(1));
            windows.Add(_global);
        }

        var wait = windows.Select(window => window.WaitTime(now)).DefaultIfEmpty(TimeSpan.Zero).Max();
        if (wait > TimeSpan.Zero)
        {
            return TelegramFault.TooManyRequests((int)Math.Ceiling(wait.TotalSeconds));
        }

        windows.ForEach(window => window.Record(now));
        return null;
    }

    private static SlidingWindow WindowFor(Dictionary<long, SlidingWindow> windows, long chatId, int limit, TimeSpan length)
    {
        if (!windows.TryGetValue(chatId, out var window))
        {
            window = new SlidingWindow(limit, length);
            windows[chatId] = window;
        }

        return window;
    }

    private Answer LeaveChat(TelegramRequestParameters parameters)
    {
        lock (_lock)
        {
            if (ResolveChatLocked(parameters, out var chat) is { } fault)
            {
                return Answer.Fail(fault);
            }

            _leftChats.Add(chat.Id);
            return Answer.Ok(true);
        }
    }

    private Answer SetWebhook(TelegramRequestParameters parameters)
    {
        lock (_lock)
        {
            var url = parameters.GetString("url");
            if (!string.IsNullOrEmpty(url) && !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                return Answer.Fail(new TelegramFault(400, "Bad Request: bad webhook: invalid URL"));
            }

            // An empty url removes the webhook, as the API documents.
            _webhookUrl = string.IsNullOrEmpty(url) ? null : url;
            if (parameters.GetBool("drop_pending_updates"))
            {
                _pending.Clear();
            }

            return Answer.Ok(true);
        }
    }

    private Answer DeleteWebhook(TelegramRequestParameters parameters)
    {
        lock (_lock)
        {
            _webhookUrl = null;
            if (parameters.GetBool("drop_pending_updates"))
            {
                _pending.Clear();
            }

            return Answer.Ok(true);
        }
    }

    private Answer GetWebhookInfo()
    {
        lock (_lock)
        {
            return Answer.Ok(new JsonObject
            {
                ["url"] = _webhookUrl ?? "",
                ["has_custom_certificate"] = false,
                ["pending_update_count"] = _pending.Count,
            });
        }
    }

    /// <summary>Resolves chat_id (an id or "@username"); returns the fault the call must fail with, if any.</summary>
    private TelegramFault? ResolveChatLocked(TelegramRequestParameters parameters, out FakeTelegramChat chat)
    {
        chat = new FakeTelegramChat(0, "private");
        var raw = parameters.GetString("chat_id");
        if (string.IsNullOrEmpty(raw))
        {
            return new TelegramFault(400, "Bad Request: chat_id is empty");
        }

        if (raw.StartsWith('@'))
        {
            var named = _chats.Values.FirstOrDefault(c => string.Equals("@" + c.Username, raw, StringComparison.OrdinalIgnoreCase));
            if (named is null)
            {
                return TelegramFault.ChatNotFound;
            }

            chat = named;
        }
        else if (parameters.GetLong("chat_id") is { } id)
        {
            chat = ChatLocked(id);
        }
        else
        {
            return TelegramFault.ChatNotFound;
        }

        return _chatFaults.GetValueOrDefault(chat.Id);
    }

    /// <summary>Declared chats as declared; others by id shape: positive = private, -100… = supergroup, else group.</summary>
    private FakeTelegramChat ChatLocked(long id) =>
        _chats.TryGetValue(id, out var chat)
            ? chat
            : new FakeTelegramChat(id, id > 0 ? "private" : id <= -1_000_000_000_000 ? "supergroup" : "group", id > 0 ? null : $"Chat {id}");

    private static JsonObject ChatJson(FakeTelegramChat chat)
    {
        var json = new JsonObject { ["id"] = chat.Id, ["type"] = chat.Type };
        if (chat.Type == "private")
        {
            json["first_name"] = $"User {chat.Id}";
        }
        else
        {
            json["title"] = chat.Title ?? $"Chat {chat.Id}";
        }

        if (chat.Username is not null)
        {
            json["username"] = chat.Username;
        }

        return json;
    }

    private JsonObject BotUserJson() => new()
    {
        ["id"] = BotId,
        ["is_bot"] = true,
        ["first_name"] = BotFirstName,
        ["username"] = BotUsername,
        ["can_join_groups"] = true,
        ["can_read_all_group_messages"] = false,
        ["supports_inline_queries"] = false,
    };

    private long UnixNow() => _time.GetUtcNow().ToUnixTimeSeconds();

    private static async Task WriteAsync(HttpContext context, Answer answer)
    {
        JsonObject body;
        if (answer.Fault is { } fault)
        {
            body = new JsonObject { ["ok"] = false, ["error_code"] = fault.ErrorCode, ["description"] = fault.Description };
            if (fault.RetryAfter is not null || fault.MigrateToChatId is not null)
            {
                var parameters = new JsonObject();
                if (fault.RetryAfter is { } retryAfter)
                {
                    parameters["retry_after"] = retryAfter;
                }

                if (fault.MigrateToChatId is { } migrateTo)
                {
                    parameters["migrate_to_chat_id"] = migrateTo;
                }

                body["parameters"] = parameters;
            }

            context.Response.StatusCode = fault.ErrorCode;
        }
        else
        {
            body = new JsonObject { ["ok"] = true, ["result"] = answer.Result };
            context.Response.StatusCode = 200;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), CancellationToken.None);
    }

    [GeneratedRegex("^/bot(?<token>[^/]+)/(?<method>[A-Za-z]+)/?$")]
    private static partial Regex MethodPath();

    private readonly record struct Answer(JsonNode? Result, TelegramFault? Fault)
    {
        public static Answer Ok(JsonNode? result) => new(result, null);

        public static Answer Ok(bool result) => new(JsonValue.Create(result), null);

        public static Answer Fail(TelegramFault fault) => new(null, fault);
    }
}
