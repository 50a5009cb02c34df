using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Wire;

namespace NewsBot.Discord.Rest;

/// <summary>
/// Shared (singleton) REST rate-limit state: per-route queues, the global limiter, the invalid-request window and
/// the guards that stop calling Discord for a dead token, channel or webhook. The only reader of X-RateLimit-* headers.
/// </summary>
public sealed partial class DiscordRateLimiter
{
    /// <summary>Added to every reset, as discord.js does, so clock granularity never lands us a request early.</summary>
    private static readonly TimeSpan ResetMargin = TimeSpan.FromMilliseconds(50);

    /// <summary>One second plus a little slack for timer granularity.</summary>
    private static readonly TimeSpan GlobalWindow = TimeSpan.FromMilliseconds(1010);

    /// <summary>After idle, up to a second of the pacing schedule (the whole limit) may go at once: a token bucket.</summary>
    private static readonly TimeSpan PacingBurst = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, RouteBucket> _buckets = new();
    private readonly ConcurrentDictionary<ulong, string> _blockedChannels = new();
    private readonly ConcurrentDictionary<ulong, string> _blockedWebhooks = new();
    private readonly InvalidRequestWindow _invalid = new();
    private readonly SemaphoreSlim _globalGate = new(1, 1);
    private readonly Lock _globalLock = new();
    private readonly Queue<DateTimeOffset> _globalFreeAt = new();
    private readonly DiscordClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordRateLimiter> _logger;
    private TaskCompletionSource _globalSlotFreed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _globalInFlight;
    private DateTimeOffset _globalNextSendAt;
    private long _globalPausedUntilTicks;
    private long _rateLimitedResponses;
    private int _tokenRejected;

    public DiscordRateLimiter(IOptions<DiscordClientOptions> options, TimeProvider time, ILogger<DiscordRateLimiter> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>401/403/429 answers (429 with scope "shared" excluded) in the last 10 minutes.</summary>
    public int InvalidRequestsInWindow => _invalid.Count(_time.GetUtcNow());

    /// <summary>All 429 answers received since start.</summary>
    public long RateLimitedResponses => Interlocked.Read(ref _rateLimitedResponses);

    /// <summary>True after a 401 on a bot-token request: every further request is refused locally.</summary>
    public bool TokenRejected => Volatile.Read(ref _tokenRejected) == 1;

    public bool IsChannelBlocked(ulong channelId) => _blockedChannels.ContainsKey(channelId);

    /// <summary>Lets a channel be used again, e.g. after an admin fixed the bot's permissions.</summary>
    public void UnblockChannel(ulong channelId) => _blockedChannels.TryRemove(channelId, out _);

    internal string? BucketHashFor(DiscordRoute route) => _buckets.TryGetValue(route.Key, out var bucket) ? bucket.Hash : null;

    internal DiscordError? CheckGuards(DiscordRoute route)
    {
        if (route.BotAuth && TokenRejected)
        {
            return new DiscordError(DiscordErrorKind.Unauthorized, "discord.token_rejected",
                "Discord answered 401 earlier; check NewsBot:Discord:Token and restart", 401);
        }

        if (route.Major == MajorKind.Channel && _blockedChannels.TryGetValue(route.MajorId, out var channelReason))
        {
            return new DiscordError(DiscordErrorKind.Permanent, "discord.channel_disabled",
                $"channel stopped after an earlier {channelReason}; not calling Discord again");
        }

        if (route.Major == MajorKind.Webhook && _blockedWebhooks.TryGetValue(route.MajorId, out var webhookReason))
        {
            return new DiscordError(DiscordErrorKind.Permanent, "discord.webhook_disabled",
                $"webhook stopped after an earlier {webhookReason}; not calling Discord again");
        }

        var limit = (int)(InvalidRequestWindow.Limit * _options.InvalidRequestBudgetFraction);
        if (InvalidRequestsInWindow >= limit)
        {
            return new DiscordError(DiscordErrorKind.RateLimited, "discord.invalid_request_budget",
                $"{limit} invalid requests in 10 minutes; pausing to avoid a Cloudflare ban", RetryAfter: TimeSpan.FromMinutes(1));
        }

        return null;
    }

    /// <summary>Serialises requests per route key; the lease must be disposed when the request is done.</summary>
    internal async Task<IDisposable> EnterRouteAsync(DiscordRoute route, CancellationToken cancellationToken)
    {
        var bucket = _buckets.GetOrAdd(route.Key, static _ => new RouteBucket());
        await bucket.Gate.WaitAsync(cancellationToken);
        return bucket;
    }

    /// <summary>Waits while the route's bucket is exhausted, instead of spending a request on a 429.</summary>
    internal async Task WaitForRouteAsync(DiscordRoute route, CancellationToken cancellationToken)
    {
        var bucket = _buckets.GetOrAdd(route.Key, static _ => new RouteBucket());
        while (true)
        {
            var wait = GlobalPauseRemaining();
            if (bucket.Remaining == 0 && bucket.ResetAt is { } reset)
            {
                var routeWait = reset - _time.GetUtcNow();
                if (routeWait > wait)
                {
                    wait = routeWait;
                }
            }

            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    /// <summary>
    /// Global limit: a bot request holds one of GlobalRequestsPerSecond slots from before it is sent until one
    /// second after its answer. Discord counts requests when they arrive, somewhere inside that span, so it can never
    /// see more than the limit in any second however much latency varies. On top, a token bucket (capacity = limit,
    /// refilled at limit/s) spreads sends once the first burst is spent, so later sends do not pile up at the server
    /// and stretch every slot. The gate is held while waiting so waiters leave in arrival order; nothing goes
    /// out while a global 429 pause lasts.
    /// </summary>
    internal async Task<GlobalSlot> AcquireGlobalAsync(CancellationToken cancellationToken)
    {
        var limit = Math.Max(1, _options.GlobalRequestsPerSecond);
        await _globalGate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var pause = GlobalPauseRemaining();
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, _time, cancellationToken);
                    continue;
                }

                Task? freed;
                TimeSpan wait;
                lock (_globalLock)
                {
                    var now = _time.GetUtcNow();
                    while (_globalFreeAt.Count > 0 && _globalFreeAt.Peek() <= now)
                    {
                        _globalFreeAt.Dequeue();
                    }

                    var paced = _globalNextSendAt - now;
                    if (_globalInFlight + _globalFreeAt.Count < limit && paced <= TimeSpan.Zero)
                    {
                        _globalInFlight++;
                        var spacing = TimeSpan.FromSeconds(1.0 / limit);
                        _globalNextSendAt = (_globalNextSendAt > now - PacingBurst ? _globalNextSendAt : now - PacingBurst) + spacing;
                        return new GlobalSlot(this);
                    }

                    freed = paced > TimeSpan.Zero ? null : _globalSlotFreed.Task;
                    wait = paced > TimeSpan.Zero ? paced
                        : _globalFreeAt.Count > 0 ? _globalFreeAt.Peek() - now : Timeout.InfiniteTimeSpan;
                }

                // Wake when the oldest finished slot expires, or when an in-flight request completes.
                using var waitCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(wait, _time, waitCts.Token);
                await (freed is null ? delay : Task.WhenAny(delay, freed));
                await waitCts.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            _globalGate.Release();
        }
    }

    private void ReleaseGlobal()
    {
        TaskCompletionSource freed;
        lock (_globalLock)
        {
            _globalInFlight--;
            _globalFreeAt.Enqueue(_time.GetUtcNow() + GlobalWindow);
            freed = _globalSlotFreed;
            _globalSlotFreed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        freed.TrySetResult();
    }

    /// <summary>Reads X-RateLimit-Bucket/Limit/Remaining/Reset-After (preferred, no clock skew) or Reset.</summary>
    internal void Observe(DiscordRoute route, HttpResponseMessage response)
    {
        if (!route.Queued)
        {
            return;
        }

        var bucket = _buckets.GetOrAdd(route.Key, static _ => new RouteBucket());
        var headers = response.Headers;
        if (Header(headers, "X-RateLimit-Bucket") is { } hash)
        {
            bucket.Hash = hash;
        }

        if (ParseDouble(Header(headers, "X-RateLimit-Remaining")) is { } remaining)
        {
            bucket.Remaining = (int)remaining;
        }

        if (ParseDouble(Header(headers, "X-RateLimit-Reset-After")) is { } resetAfter)
        {
            bucket.ResetAt = _time.GetUtcNow() + TimeSpan.FromSeconds(resetAfter) + ResetMargin;
        }
        else if (ParseDouble(Header(headers, "X-RateLimit-Reset")) is { } resetEpoch)
        {
            bucket.ResetAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(resetEpoch * 1000)) + ResetMargin;
        }
    }

    /// <summary>
    /// A 429: a global one (X-RateLimit-Global, scope "global" or body.global) pauses every queue; otherwise only
    /// the route waits. Returns how long to wait before trying again.
    /// </summary>
    internal TimeSpan OnRateLimited(DiscordRoute route, HttpResponseMessage response, RateLimitBody? body)
    {
        Interlocked.Increment(ref _rateLimitedResponses);
        var scope = Header(response.Headers, "X-RateLimit-Scope");
        var now = _time.GetUtcNow();
        if (!string.Equals(scope, "shared", StringComparison.OrdinalIgnoreCase))
        {
            _invalid.Record(now);
        }

        var retryAfter = body is { RetryAfter: > 0 } ? TimeSpan.FromSeconds(body.RetryAfter)
            : ParseDouble(Header(response.Headers, "Retry-After")) is { } header ? TimeSpan.FromSeconds(header)
            : TimeSpan.FromSeconds(1);
        var global = body?.Global == true
            || string.Equals(Header(response.Headers, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase)
            || string.Equals(scope, "global", StringComparison.OrdinalIgnoreCase);
        if (global)
        {
            var until = (now + retryAfter + ResetMargin).UtcTicks;
            long current;
            do
            {
                current = Interlocked.Read(ref _globalPausedUntilTicks);
            }
            while (until > current && Interlocked.CompareExchange(ref _globalPausedUntilTicks, until, current) != current);
        }
        else if (route.Queued)
        {
            var bucket = _buckets.GetOrAdd(route.Key, static _ => new RouteBucket());
            bucket.Remaining = 0;
            bucket.ResetAt = now + retryAfter + ResetMargin;
        }

        LogRateLimited(_logger, route.Template, global, scope ?? "none", retryAfter.TotalSeconds);
        return retryAfter;
    }

    /// <summary>Counts invalid answers and arms the guards: 401 stops the token, 403/404 the channel or webhook.</summary>
    internal void OnFailure(DiscordRoute route, int status, int? code)
    {
        if (status is 401 or 403)
        {
            _invalid.Record(_time.GetUtcNow());
        }

        var what = $"HTTP {status.ToString(CultureInfo.InvariantCulture)}{(code is { } c ? $" code {c.ToString(CultureInfo.InvariantCulture)}" : "")}";
        if (status == 401 && route.BotAuth)
        {
            if (Interlocked.Exchange(ref _tokenRejected, 1) == 0)
            {
                LogTokenRejected(_logger);
            }

            return;
        }

        switch (route.Major)
        {
            case MajorKind.Channel when status == 403 || (status == 404 && code == 10003):
                _blockedChannels[route.MajorId] = what;
                LogChannelBlocked(_logger, route.MajorId, what);
                break;
            case MajorKind.Webhook when status is 401 or 404:
                _blockedWebhooks[route.MajorId] = what;
                break;
        }
    }

    private TimeSpan GlobalPauseRemaining()
    {
        var until = Interlocked.Read(ref _globalPausedUntilTicks);
        return until == 0 ? TimeSpan.Zero : new DateTimeOffset(until, TimeSpan.Zero) - _time.GetUtcNow();
    }

    private static string? Header(System.Net.Http.Headers.HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static double? ParseDouble(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord 429 on {Route}: global={Global} scope={Scope} retry after {RetryAfterSeconds}s")]
    private static partial void LogRateLimited(ILogger logger, string route, bool global, string scope, double retryAfterSeconds);

    // Callers get Unauthorized and stop (the host logs one line naming the setting); here it is detail.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord rejected the bot token (401); no further requests will be sent")]
    private static partial void LogTokenRejected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord channel {ChannelId} answered {Status}; the client stops posting to it")]
    private static partial void LogChannelBlocked(ILogger logger, ulong channelId, string status);

    /// <summary>A held global slot; disposing it (when the answer arrived) starts its one-second cool-down.</summary>
    internal sealed class GlobalSlot(DiscordRateLimiter owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.ReleaseGlobal();
            }
        }
    }

    /// <summary>State of one route key. Disposing releases the route's queue.</summary>
    private sealed class RouteBucket : IDisposable
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public string? Hash { get; set; }
        public int? Remaining { get; set; }
        public DateTimeOffset? ResetAt { get; set; }

        public void Dispose() => Gate.Release();
    }
}
