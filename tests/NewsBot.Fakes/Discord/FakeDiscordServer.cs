using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NewsBot.Fakes.Discord;

/// <summary>
/// A loopback Discord: REST under /api/v10 with real-shaped rate-limit headers and errors, and a WebSocket
/// Gateway (see <see cref="FakeDiscordGateway"/>). Everything received is recorded for assertions.
/// </summary>
public sealed partial class FakeDiscordServer : IAsyncDisposable
{
    private const string MessageBucketHash = "a1b2c3d4message";

    private readonly WebApplication _app;
    private readonly FakeDiscordOptions _options;
    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _globalWindow = new();
    private readonly Dictionary<ulong, (DateTimeOffset Start, int Count)> _channelBuckets = [];
    private readonly Dictionary<(ulong Channel, string Nonce), RecordedMessage> _nonces = [];
    private readonly ConcurrentDictionary<ulong, (int Status, int Code, string Message)> _channelFailures = new();
    private readonly ConcurrentDictionary<string, int> _rateLimitedByBucket = new();
    private readonly ConcurrentQueue<RecordedMessage> _messages = new();
    private readonly ConcurrentQueue<RecordedCallback> _callbacks = new();
    private readonly ConcurrentQueue<RecordedWebhookCall> _webhookCalls = new();
    private readonly ConcurrentQueue<RecordedCommandSet> _commandSets = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private long _nextId = 1_000_000_000_000_000;
    private int _requests;
    private int _invalidRequests;
    private int _globalRateLimited;
    private int _rejectAllTokens;
    private int _failNextCount;
    private int _failNextStatus;

    private FakeDiscordServer(WebApplication app, FakeDiscordOptions options)
    {
        _app = app;
        _options = options;
        Gateway = new FakeDiscordGateway(this, options);
    }

    public string BaseAddress { get; private set; } = "";

    /// <summary>Put this in DiscordClientOptions.ApiBaseUrl.</summary>
    public string ApiBaseUrl => BaseAddress + "/api/v10";

    public string GatewayUrl => "ws" + BaseAddress["http".Length..] + "/gateway";

    public string ResumeGatewayUrl => "ws" + BaseAddress["http".Length..] + "/resume-gateway";

    public FakeDiscordOptions Options => _options;

    public FakeDiscordGateway Gateway { get; }

    /// <summary>Pulsed on every recorded request; await conditions with it.</summary>
    public ChangeSignal Changed { get; } = new();

    public IReadOnlyList<RecordedMessage> Messages => [.. _messages];

    public IReadOnlyList<RecordedCallback> Callbacks => [.. _callbacks];

    public IReadOnlyList<RecordedWebhookCall> WebhookCalls => [.. _webhookCalls];

    public IReadOnlyList<RecordedCommandSet> CommandSets => [.. _commandSets];

    /// <summary>Header problems seen (missing Bot auth, bad User-Agent, non-JSON body).</summary>
    public IReadOnlyList<string> Violations => [.. _violations];

    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>401/403/429 answers (the Cloudflare ban counter).</summary>
    public int InvalidRequestCount => Volatile.Read(ref _invalidRequests);

    public int GlobalRateLimitedCount => Volatile.Read(ref _globalRateLimited);

    /// <summary>429 answers per bucket key ("global", "channel:{id}").</summary>
    public IReadOnlyDictionary<string, int> RateLimitedByBucket => new Dictionary<string, int>(_rateLimitedByBucket);

    public IReadOnlyList<RecordedMessage> MessagesIn(ulong channelId) => [.. _messages.Where(m => m.ChannelId == channelId)];

    /// <summary>From now on the channel answers this error, e.g. (403, 50013, "Missing Permissions") or (404, 10003, "Unknown Channel").</summary>
    public void FailChannel(ulong channelId, int status, int code, string message) => _channelFailures[channelId] = (status, code, message);

    /// <summary>The next <paramref name="count"/> bot-token requests get this server error (e.g. 500, 502).</summary>
    public void FailNextRequests(int status, int count)
    {
        Volatile.Write(ref _failNextStatus, status);
        Volatile.Write(ref _failNextCount, count);
    }

    /// <summary>From now on every bot-token request is answered 401, as for a reset token.</summary>
    public void RejectAllTokens() => Volatile.Write(ref _rejectAllTokens, 1);

    public static async Task<FakeDiscordServer> StartAsync(FakeDiscordOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeDiscordOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeDiscordServer(app, options);
        app.UseWebSockets();
        app.Use(server.Gateway.HandleAsync);
        server.MapRest(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = address.TrimEnd('/');
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// A guild id whose events go to <paramref name="shard"/> under <see cref="FakeDiscordOptions.Shards"/>
    /// ((id &gt;&gt; 22) % shards); <paramref name="index"/> tells several guilds of one shard apart.
    /// </summary>
    public ulong GuildOnShard(int shard, int index = 0)
    {
        var shards = (ulong)Math.Max(1, _options.Shards);
        return ((1_000_000UL * shards) + ((ulong)index * shards) + (ulong)shard) << 22;
    }

    internal string NewId() => Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    private void MapRest(WebApplication app)
    {
        var api = app.MapGroup("/api/v10");
        api.MapGet("/gateway/bot", context => Bot(context, () => Json(context, 200, new JsonObject
        {
            ["url"] = GatewayUrl,
            ["shards"] = _options.Shards,
            ["session_start_limit"] = new JsonObject
            {
                ["total"] = 1000,
                ["remaining"] = _options.SessionStartRemaining,
                ["reset_after"] = _options.SessionStartResetAfterMs,
                ["max_concurrency"] = _options.MaxConcurrency,
            },
        })));
        api.MapGet("/applications/@me", context => Bot(context, () => Json(context, 200, new JsonObject
        {
            ["id"] = Id(_options.ApplicationId),
            ["name"] = "Fake NewsBot",
        })));
        MapChannels(api);
        api.MapPost("/channels/{channelId}/messages", context => Bot(context, () => CreateMessageAsync(context, ulong.Parse((string)context.Request.RouteValues["channelId"]!, CultureInfo.InvariantCulture))));
        api.MapPatch("/channels/{channelId}/messages/{messageId}", context => Bot(context, async () =>
        {
            var channelId = ulong.Parse((string)context.Request.RouteValues["channelId"]!, CultureInfo.InvariantCulture);
            if (await ChannelFailureAsync(context, channelId))
            {
                return;
            }

            var body = await ReadBodyAsync(context);
            body["id"] = (string)context.Request.RouteValues["messageId"]!;
            body["channel_id"] = Id(channelId);
            await Json(context, 200, body);
        }));
        api.MapPost("/channels/{channelId}/webhooks", context => Bot(context, async () =>
        {
            var channelId = ulong.Parse((string)context.Request.RouteValues["channelId"]!, CultureInfo.InvariantCulture);
            if (await ChannelFailureAsync(context, channelId))
            {
                return;
            }

            var body = await ReadBodyAsync(context);
            await Json(context, 200, new JsonObject { ["id"] = NewId(), ["token"] = "wh-" + NewId(), ["channel_id"] = Id(channelId), ["name"] = body["name"]?.GetValue<string>() });
        }));
        api.MapPut("/applications/{applicationId}/commands", context => Bot(context, () => OverwriteCommandsAsync(context, null)));
        api.MapPut("/applications/{applicationId}/guilds/{guildId}/commands", context => Bot(context,
            () => OverwriteCommandsAsync(context, ulong.Parse((string)context.Request.RouteValues["guildId"]!, CultureInfo.InvariantCulture))));
        api.MapPost("/interactions/{interactionId}/{token}/callback", async context =>
        {
            CheckCommonHeaders(context);
            var body = await ReadBodyAsync(context);
            _callbacks.Enqueue(new RecordedCallback(ulong.Parse((string)context.Request.RouteValues["interactionId"]!, CultureInfo.InvariantCulture),
                (string)context.Request.RouteValues["token"]!, body, _options.Time.GetUtcNow()));
            context.Response.StatusCode = 204;
            Changed.Pulse();
        });
        api.MapMethods("/webhooks/{webhookId}/{token}/{**rest}", ["POST", "PATCH"], async context =>
        {
            CheckCommonHeaders(context);
            var body = await ReadBodyAsync(context);
            var webhookId = ulong.Parse((string)context.Request.RouteValues["webhookId"]!, CultureInfo.InvariantCulture);
            _webhookCalls.Enqueue(new RecordedWebhookCall(context.Request.Method, webhookId, (string)context.Request.RouteValues["token"]!,
                context.Request.Path + context.Request.QueryString, body));
            body["id"] = NewId();
            body["webhook_id"] = Id(webhookId);
            Changed.Pulse();
            await Json(context, 200, body);
        });
    }

    /// <summary>Counts a create in the channel's bucket (5 per 5 s) and answers 429 when it is spent.</summary>
    private async Task<bool> ChannelRateLimitedAsync(HttpContext context, ulong channelId)
    {
        var now = _options.Time.GetUtcNow();
        int remaining;
        double resetAfter;
        lock (_lock)
        {
            (DateTimeOffset Start, int Count) bucket = _channelBuckets.TryGetValue(channelId, out var b) && now < b.Start + _options.ChannelBucketWindow ? b : (now, 0);
            resetAfter = (bucket.Start + _options.ChannelBucketWindow - now).TotalSeconds;
            if (bucket.Count >= _options.ChannelBucketSize)
            {
                remaining = -1;
            }
            else
            {
                bucket.Count++;
                remaining = _options.ChannelBucketSize - bucket.Count;
            }

            _channelBuckets[channelId] = bucket;
        }

        SetBucketHeaders(context, Math.Max(remaining, 0), resetAfter);
        if (remaining < 0)
        {
            await RateLimitedAsync(context, "channel:" + Id(channelId), resetAfter, global: false);
            return true;
        }

        return false;
    }

    private async Task CreateMessageAsync(HttpContext context, ulong channelId)
    {
        if (await ChannelFailureAsync(context, channelId) || await ChannelRateLimitedAsync(context, channelId))
        {
            return;
        }

        if (MessageRefusal(channelId) is { } refusal)
        {
            await Json(context, refusal.Status, new JsonObject { ["message"] = refusal.Message, ["code"] = refusal.Code });
            return;
        }

        var now = _options.Time.GetUtcNow();
        var body = await ReadBodyAsync(context);
        if (Validate(body) is { } problem)
        {
            await Json(context, 400, new JsonObject { ["code"] = 50035, ["message"] = "Invalid Form Body", ["errors"] = problem });
            return;
        }

        var nonce = body["nonce"]?.GetValue<string>();
        RecordedMessage message;
        lock (_lock)
        {
            // enforce_nonce: a repeated nonce within the window returns the first message instead of posting again.
            if (nonce is not null && body["enforce_nonce"]?.GetValue<bool>() == true
                && _nonces.TryGetValue((channelId, nonce), out var earlier) && now - earlier.ReceivedAt < _options.NonceWindow)
            {
                message = earlier;
            }
            else
            {
                message = new RecordedMessage(channelId, ulong.Parse(NewId(), CultureInfo.InvariantCulture), nonce, body, now);
                _messages.Enqueue(message);
                if (nonce is not null)
                {
                    _nonces[(channelId, nonce)] = message;
                }
            }
        }

        Changed.Pulse();
        var answer = (JsonObject)message.Body.DeepClone();
        answer["id"] = Id(message.MessageId);
        answer["channel_id"] = Id(channelId);
        answer["author"] = new JsonObject { ["id"] = Id(_options.BotUserId), ["username"] = "NewsBot", ["bot"] = true };
        await Json(context, 200, answer);
    }

    private async Task OverwriteCommandsAsync(HttpContext context, ulong? guildId)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        var commands = JsonNode.Parse(document.RootElement.GetRawText())!.AsArray();
        _commandSets.Enqueue(new RecordedCommandSet(guildId, (JsonArray)commands.DeepClone()));
        foreach (var command in commands.OfType<JsonObject>())
        {
            command["id"] = NewId();
            command["application_id"] = Id(_options.ApplicationId);
        }

        Changed.Pulse();
        await Json(context, 200, commands);
    }

    /// <summary>Common checks for bot-token routes: headers, the 401 switch, and the global limit.</summary>
    private async Task Bot(HttpContext context, Func<Task> handler)
    {
        Interlocked.Increment(ref _requests);
        CheckCommonHeaders(context);
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization != "Bot " + _options.Token || Volatile.Read(ref _rejectAllTokens) == 1)
        {
            if (!authorization.StartsWith("Bot ", StringComparison.Ordinal))
            {
                _violations.Enqueue($"{context.Request.Path}: Authorization is not 'Bot <token>'");
            }

            Interlocked.Increment(ref _invalidRequests);
            await Json(context, 401, new JsonObject { ["message"] = "401: Unauthorized", ["code"] = 0 });
            Changed.Pulse();
            return;
        }

        var now = _options.Time.GetUtcNow();
        double retryAfter = 0;
        lock (_lock)
        {
            while (_globalWindow.Count > 0 && now - _globalWindow.Peek() >= TimeSpan.FromSeconds(1))
            {
                _globalWindow.Dequeue();
            }

            if (_globalWindow.Count >= _options.GlobalLimitPerSecond)
            {
                retryAfter = Math.Max(0.001, (_globalWindow.Peek() + TimeSpan.FromSeconds(1) - now).TotalSeconds);
            }
            else
            {
                _globalWindow.Enqueue(now);
            }
        }

        if (retryAfter > 0)
        {
            Interlocked.Increment(ref _globalRateLimited);
            await RateLimitedAsync(context, "global", retryAfter, global: true);
            return;
        }

        int failuresLeft;
        do
        {
            failuresLeft = Volatile.Read(ref _failNextCount);
        }
        while (failuresLeft > 0 && Interlocked.CompareExchange(ref _failNextCount, failuresLeft - 1, failuresLeft) != failuresLeft);

        if (failuresLeft > 0)
        {
            Changed.Pulse();
            await Json(context, Volatile.Read(ref _failNextStatus), new JsonObject { ["message"] = "Scripted server error", ["code"] = 0 });
            return;
        }

        await handler();
    }

    private async Task<bool> ChannelFailureAsync(HttpContext context, ulong channelId)
    {
        if (!_channelFailures.TryGetValue(channelId, out var failure))
        {
            return false;
        }

        if (failure.Status is 401 or 403)
        {
            Interlocked.Increment(ref _invalidRequests);
        }

        Changed.Pulse();
        await Json(context, failure.Status, new JsonObject { ["message"] = failure.Message, ["code"] = failure.Code });
        return true;
    }

    private async Task RateLimitedAsync(HttpContext context, string bucket, double retryAfter, bool global)
    {
        Interlocked.Increment(ref _invalidRequests);
        _rateLimitedByBucket.AddOrUpdate(bucket, 1, (_, n) => n + 1);
        var headers = context.Response.Headers;
        headers["Retry-After"] = Math.Ceiling(retryAfter).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Scope"] = global ? "global" : "user";
        if (global)
        {
            headers["X-RateLimit-Global"] = "true";
        }

        Changed.Pulse();
        await Json(context, 429, new JsonObject
        {
            ["message"] = "You are being rate limited.",
            ["retry_after"] = Math.Round(retryAfter, 3),
            ["global"] = global,
        });
    }

    private void SetBucketHeaders(HttpContext context, int remaining, double resetAfter)
    {
        var headers = context.Response.Headers;
        var resetAt = _options.Time.GetUtcNow().AddSeconds(resetAfter).ToUnixTimeMilliseconds() / 1000.0;
        headers["X-RateLimit-Limit"] = _options.ChannelBucketSize.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = resetAt.ToString("0.000", CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset-After"] = resetAfter.ToString("0.000", CultureInfo.InvariantCulture);
        // Real Discord shares one hash across channels; the major parameter keeps them apart.
        headers["X-RateLimit-Bucket"] = MessageBucketHash;
    }

    private void CheckCommonHeaders(HttpContext context)
    {
        var agent = context.Request.Headers.UserAgent.ToString();
        if (!agent.StartsWith("DiscordBot (", StringComparison.Ordinal) || !agent.EndsWith(')'))
        {
            _violations.Enqueue($"{context.Request.Path}: User-Agent '{agent}' is not 'DiscordBot (url, version)'");
        }

        if (context.Request.ContentLength > 0 && context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            _violations.Enqueue($"{context.Request.Path}: Content-Type '{context.Request.ContentType}' is not application/json");
        }
    }

    /// <summary>Discord's message and embed limits (a violation is a 400 50035), plus allowed_mentions must be present.</summary>
    private static JsonObject? Validate(JsonObject body)
    {
        static JsonObject Error(string path, string message) => new() { [path] = new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = "BASE_TYPE_MAX_LENGTH", ["message"] = message }) } };
        static int Length(JsonNode? node) => node?.GetValue<string>().Trim().Length ?? 0;

        if (Length(body["content"]) > 2000)
        {
            return Error("content", "Must be 2000 or fewer in length.");
        }

        var embeds = body["embeds"]?.AsArray() ?? [];
        if (embeds.Count > 10)
        {
            return Error("embeds", "Must be 10 or fewer in length.");
        }

        var total = 0;
        for (var i = 0; i < embeds.Count; i++)
        {
            var embed = embeds[i]!.AsObject();
            var fields = embed["fields"]?.AsArray() ?? [];
            if (Length(embed["title"]) > 256 || Length(embed["description"]) > 4096 || fields.Count > 25
                || Length(embed["footer"]?["text"]) > 2048 || Length(embed["author"]?["name"]) > 256
                || fields.Any(f => Length(f!["name"]) > 256 || Length(f!["value"]) > 1024 || Length(f!["name"]) == 0 || Length(f!["value"]) == 0))
            {
                return Error($"embeds.{i}", "Embed field exceeds its limit.");
            }

            // Discord refuses embed media it cannot fetch: 50035 "Scheme must be one of ('http', 'https', 'attachment')".
            foreach (var media in new[] { "image", "thumbnail" })
            {
                if (embed[media]?["url"]?.GetValue<string>() is { } mediaUrl
                    && !(Uri.TryCreate(mediaUrl, UriKind.Absolute, out var mediaUri) && mediaUri.Scheme is "http" or "https" or "attachment"))
                {
                    return Error($"embeds.{i}.{media}.url", "Scheme must be one of ('http', 'https', 'attachment').");
                }
            }

            total += Length(embed["title"]) + Length(embed["description"]) + Length(embed["footer"]?["text"]) + Length(embed["author"]?["name"])
                + fields.Sum(f => Length(f!["name"]) + Length(f!["value"]));
        }

        if (total > 6000)
        {
            return Error("embeds", "Embed size exceeds maximum size of 6000");
        }

        return body["allowed_mentions"] is null ? Error("allowed_mentions", "Fake Discord: feed posts must set allowed_mentions.") : null;
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpContext context)
    {
        var node = await JsonNode.ParseAsync(context.Request.Body);
        return node as JsonObject ?? [];
    }

    private static async Task Json(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    internal static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
