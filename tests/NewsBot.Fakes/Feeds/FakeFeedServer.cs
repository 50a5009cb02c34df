using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NewsBot.Fakes.Feeds;

/// <summary>
/// A loopback feed host for tests and the load harness: N generated RSS/Atom feeds at <c>/feeds/{i}.xml</c>
/// that answer conditional GETs (ETag, Last-Modified, 304), grow new items on demand or on a schedule (each
/// item's first appearance is recorded, for latency), and misbehave as configured (slow, 500, 503 with
/// Retry-After, malformed XML). The hostile endpoints under <c>/hostile/</c> are described in <see cref="HostilePaths"/>.
/// </summary>
public sealed partial class FakeFeedServer : IAsyncDisposable
{
    private readonly FakeFeedOptions _options;
    private readonly TimeProvider _time;
    private readonly FeedState[] _feeds;
    private readonly Lock _scheduleLock = new();
    private readonly ConcurrentQueue<FeedRequest> _requests = new();
    private WebApplication? _app;
    private ITimer? _schedule;
    private int _nextFeed;
    private long _feedRequests;
    private long _notModified;
    private long _xxeProbeHits;
    private readonly Dictionary<string, int> _activeByHost = new(StringComparer.OrdinalIgnoreCase);
    private int _mostAtOnceOnOneHost;

    private FakeFeedServer(FakeFeedOptions options)
    {
        _options = options;
        _time = options.TimeProvider;
        var now = _time.GetUtcNow();
        _feeds = new FeedState[options.FeedCount];
        for (var i = 0; i < _feeds.Length; i++)
        {
            _feeds[i] = new FeedState();
            for (var k = 0; k < options.InitialItems; k++)
            {
                // Initial items were published in the past but "appear" when the server starts.
                _feeds[i].Add(now);
            }
        }
    }

    public Uri BaseUri { get; private set; } = null!;

    public int Port => BaseUri.Port;

    public int FeedCount => _feeds.Length;

    /// <summary>Requests to <c>/feeds/*</c> so far, 304s included: the number of polls the server saw.</summary>
    public long FeedRequests => Interlocked.Read(ref _feedRequests);

    /// <summary>How many of <see cref="FeedRequests"/> were answered 304 Not Modified.</summary>
    public long NotModifiedAnswers => Interlocked.Read(ref _notModified);

    /// <summary>Every feed request with <see cref="FakeFeedOptions.RecordRequests"/> on, in the order they ended; empty otherwise.</summary>
    public IReadOnlyList<FeedRequest> Requests => [.. _requests];

    /// <summary>
    /// The most feed requests in flight at once for one host name (the request's Host): more than 1 means two pollers
    /// fetched one host at the same time.
    /// </summary>
    public int MostAtOnceOnOneHost => Volatile.Read(ref _mostAtOnceOnOneHost);

    /// <summary>Requests that reached <c>/hostile/xxe-probe</c>: an XML parser that resolved an external entity.</summary>
    public long XxeProbeHits => Interlocked.Read(ref _xxeProbeHits);

    /// <summary>Items added after start, across all feeds.</summary>
    public long AddedItems => _feeds.Sum(f => (long)f.Count) - ((long)_feeds.Length * _options.InitialItems);

    public static async Task<FakeFeedServer> StartAsync(FakeFeedOptions options, CancellationToken cancellationToken)
    {
        var server = new FakeFeedServer(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel =>
        {
            if (options.LoopbackAddresses <= 1)
            {
                kestrel.Listen(IPAddress.Loopback, 0);
            }
            else
            {
                var port = FreePort();
                for (var n = 1; n <= options.LoopbackAddresses; n++)
                {
                    kestrel.Listen(new IPAddress([127, 0, 0, (byte)n]), port);
                }
            }

            // The 100 MB body and the drip feed must not be cut by Kestrel's own rate rules.
            kestrel.Limits.MinResponseDataRate = null;
        });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        server.Map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server._app = app;
        server.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>The n-th of <see cref="FakeFeedOptions.LoopbackAddresses"/> (from 0) as a host name: 127.0.0.(n+1).</summary>
    public static string LoopbackHost(int n) => $"127.0.0.{n + 1}";

    /// <summary>The URL of feed <paramref name="index"/>, optionally on another host name that resolves to this server.</summary>
    public string FeedUrl(int index, string? host = null) => Url($"feeds/{index}.xml", host);

    public string Url(string path, string? host = null)
    {
        var builder = new UriBuilder(BaseUri) { Path = path };
        if (host is not null)
        {
            builder.Host = host;
        }

        return builder.Uri.AbsoluteUri;
    }

    public FeedBehavior BehaviorOf(int index) => _options.BehaviorOf(index);

    /// <summary>Adds one new item to feed <paramref name="index"/> now; returns its item number.</summary>
    public int AddItem(int index) => _feeds[index].Add(_time.GetUtcNow());

    /// <summary>
    /// Adds one new item to each of the next <paramref name="feeds"/> feeds that serve their items (normal or slow),
    /// round robin, so every added item can be expected to reach a reader.
    /// </summary>
    public void AddItems(int feeds)
    {
        for (var n = 0; n < feeds; n++)
        {
            int index;
            lock (_scheduleLock)
            {
                do
                {
                    index = _nextFeed;
                    _nextFeed = (_nextFeed + 1) % _feeds.Length;
                }
                while (_options.BehaviorOf(index) is not (FeedBehavior.Normal or FeedBehavior.Slow));
            }

            AddItem(index);
        }
    }

    /// <summary>Every <paramref name="period"/>, adds one item to each of the next <paramref name="feedsPerTick"/> feeds.</summary>
    public void StartPublishing(TimeSpan period, int feedsPerTick)
    {
        lock (_scheduleLock)
        {
            _schedule?.Dispose();
            _schedule = _time.CreateTimer(_ => AddItems(feedsPerTick), null, period, period);
        }
    }

    public void StopPublishing()
    {
        lock (_scheduleLock)
        {
            _schedule?.Dispose();
            _schedule = null;
        }
    }

    /// <summary>When the item behind <paramref name="itemUrl"/> (<c>/items/{feed}/{item}</c>, any host) first appeared.</summary>
    public bool TryGetAppearance(string itemUrl, out DateTimeOffset appearedAt)
    {
        appearedAt = default;
        if (!Uri.TryCreate(itemUrl, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var parts = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts is ["items", var feed, var item]
            && int.TryParse(feed, CultureInfo.InvariantCulture, out var f) && f >= 0 && f < _feeds.Length
            && int.TryParse(item, CultureInfo.InvariantCulture, out var k)
            && _feeds[f].TryGetAppearance(k, out appearedAt);
    }

    public async ValueTask DisposeAsync()
    {
        StopPublishing();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/feeds/{name}", ServeFeedAsync);
        app.MapGet("/items/{feed:int}/{item:int}", (HttpContext context, int feed, int item) => ServeArticleAsync(context, feed, item));
        MapHostile(app);
    }

    private async Task ServeFeedAsync(HttpContext context, string name)
    {
        var host = context.Request.Host.Host;
        lock (_activeByHost)
        {
            var active = _activeByHost[host] = _activeByHost.GetValueOrDefault(host) + 1;
            _mostAtOnceOnOneHost = Math.Max(_mostAtOnceOnOneHost, active);
        }

        try
        {
            await ServeFeedRecordedAsync(context, name);
        }
        finally
        {
            lock (_activeByHost)
            {
                _activeByHost[host]--;
            }
        }
    }

    private async Task ServeFeedRecordedAsync(HttpContext context, string name)
    {
        if (!_options.RecordRequests)
        {
            await ServeFeedDocumentAsync(context, name);
            return;
        }

        var started = _time.GetUtcNow();
        try
        {
            await ServeFeedDocumentAsync(context, name);
        }
        finally
        {
            var feed = name.EndsWith(".xml", StringComparison.Ordinal) && int.TryParse(name.AsSpan(0, name.Length - 4), CultureInfo.InvariantCulture, out var i) ? i : -1;
            _requests.Enqueue(new FeedRequest(feed, context.Request.Host.Host, context.Request.Headers.UserAgent.ToString(), started, _time.GetUtcNow(), context.Response.StatusCode));
        }
    }

    private async Task ServeFeedDocumentAsync(HttpContext context, string name)
    {
        Interlocked.Increment(ref _feedRequests);
        if (!name.EndsWith(".xml", StringComparison.Ordinal)
            || !int.TryParse(name.AsSpan(0, name.Length - 4), CultureInfo.InvariantCulture, out var index)
            || index < 0 || index >= _feeds.Length)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var behavior = _options.BehaviorOf(index);
        switch (behavior)
        {
            case FeedBehavior.ServerError:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return;
            case FeedBehavior.Unavailable:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = ((int)_options.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return;
            case FeedBehavior.Slow:
                await Task.Delay(_options.SlowDelay, _time, context.RequestAborted);
                break;
        }

        var snapshot = _feeds[index].Snapshot(_options.WindowSize);
        var etag = $"\"{index}-{snapshot.Count}\"";
        var lastModified = snapshot.LastAppeared.ToString("R", CultureInfo.InvariantCulture);
        var request = context.Request.Headers;
        var unchanged = request.IfNoneMatch.Count > 0
            ? request.IfNoneMatch.ToString() == etag
            : DateTimeOffset.TryParse(request.IfModifiedSince.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
              && snapshot.LastAppeared <= since.AddSeconds(1);
        context.Response.Headers.ETag = etag;
        context.Response.Headers.LastModified = lastModified;
        if (unchanged)
        {
            Interlocked.Increment(ref _notModified);
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var site = $"{context.Request.Scheme}://{context.Request.Host}/";
        var atom = _options.AtomEvery > 0 && index % _options.AtomEvery == _options.AtomEvery - 1;
        var document = atom ? FeedDocuments.Atom(site, index, snapshot) : FeedDocuments.Rss(site, index, snapshot);
        if (behavior == FeedBehavior.Malformed)
        {
            document = document[..(document.Length * 2 / 3)];
        }

        context.Response.ContentType = atom ? "application/atom+xml; charset=utf-8" : "application/rss+xml; charset=utf-8";
        await context.Response.WriteAsync(document, context.RequestAborted);
    }

    private Task ServeArticleAsync(HttpContext context, int feed, int item)
    {
        if (feed < 0 || feed >= _feeds.Length || !_feeds[feed].TryGetAppearance(item, out _))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(FeedDocuments.ArticlePage(feed, item), context.RequestAborted);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>One feed's items: item k (from 0) appeared at <c>_appeared[k]</c>.</summary>
    private sealed class FeedState
    {
        private readonly List<DateTimeOffset> _appeared = [];

        public int Count
        {
            get
            {
                lock (_appeared)
                {
                    return _appeared.Count;
                }
            }
        }

        public int Add(DateTimeOffset now)
        {
            lock (_appeared)
            {
                _appeared.Add(now);
                return _appeared.Count - 1;
            }
        }

        public bool TryGetAppearance(int item, out DateTimeOffset appearedAt)
        {
            lock (_appeared)
            {
                var known = item >= 0 && item < _appeared.Count;
                appearedAt = known ? _appeared[item] : default;
                return known;
            }
        }

        public FeedSnapshot Snapshot(int window)
        {
            lock (_appeared)
            {
                var first = Math.Max(0, _appeared.Count - window);
                return new FeedSnapshot(_appeared.Count, first, _appeared.Count > 0 ? _appeared[^1] : DateTimeOffset.UnixEpoch, _appeared[first..]);
            }
        }
    }
}

/// <summary>One request for <c>/feeds/{Feed}.xml</c> (-1: not a feed of this server): the Host it named, its User-Agent, when it came and ended (server clock), the status answered.</summary>
public sealed record FeedRequest(int Feed, string Host, string UserAgent, DateTimeOffset StartedAt, DateTimeOffset EndedAt, int Status);

/// <summary>What a feed lists at one moment: items <see cref="First"/> to <see cref="Count"/> - 1, with when each appeared.</summary>
internal readonly record struct FeedSnapshot(int Count, int First, DateTimeOffset LastAppeared, List<DateTimeOffset> Appeared)
{
    public DateTimeOffset AppearedAt(int item) => Appeared[item - First];
}
