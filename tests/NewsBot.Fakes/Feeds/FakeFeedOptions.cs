namespace NewsBot.Fakes.Feeds;

/// <summary>What a <see cref="FakeFeedServer"/> serves: how many feeds, and which of them misbehave.</summary>
public sealed class FakeFeedOptions
{
    /// <summary>Feeds served at <c>/feeds/{i}.xml</c>, i from 0 to FeedCount - 1.</summary>
    public int FeedCount { get; set; } = 10;

    /// <summary>Items each feed holds before any is added.</summary>
    public int InitialItems { get; set; } = 3;

    /// <summary>A feed lists at most this many of its newest items, like a real feed's window.</summary>
    public int WindowSize { get; set; } = 20;

    /// <summary>Every Nth feed answers after <see cref="SlowDelay"/> (0: none).</summary>
    public int SlowEvery { get; set; }

    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every Nth feed answers 500 (0: none).</summary>
    public int ServerErrorEvery { get; set; }

    /// <summary>Every Nth feed answers 503 with Retry-After (0: none).</summary>
    public int UnavailableEvery { get; set; }

    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Every Nth feed serves XML that breaks off mid-document (0: none).</summary>
    public int MalformedEvery { get; set; }

    /// <summary>Every Nth feed is Atom instead of RSS (0: none).</summary>
    public int AtomEvery { get; set; } = 2;

    /// <summary>Size of the streamed body at <c>/hostile/huge.xml</c>.</summary>
    public long HugeBodyBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Decoded size of <c>/hostile/gzip-bomb.xml</c>.</summary>
    public long GzipBombBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Where <c>/hostile/redirect-private</c> points.</summary>
    public string PrivateRedirectTarget { get; set; } = "http://10.0.0.1/feed.xml";

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The server listens on 127.0.0.1 up to 127.0.0.N, all on one port, so a client's per-host politeness sees N hosts
    /// (Linux routes all of 127.0.0.0/8 to loopback). 1: 127.0.0.1 only.
    /// </summary>
    public int LoopbackAddresses { get; set; } = 1;

    /// <summary>Keep every feed request in <see cref="FakeFeedServer.Requests"/> (who asked, when, the answer), for lateness and politeness checks.</summary>
    public bool RecordRequests { get; set; }

    /// <summary>The behaviour of feed <paramref name="index"/> under these options; the first matching rule wins.</summary>
    public FeedBehavior BehaviorOf(int index) =>
        Every(ServerErrorEvery, index) ? FeedBehavior.ServerError
        : Every(UnavailableEvery, index) ? FeedBehavior.Unavailable
        : Every(MalformedEvery, index) ? FeedBehavior.Malformed
        : Every(SlowEvery, index) ? FeedBehavior.Slow
        : FeedBehavior.Normal;

    // Counted from the end of each period so feed 0, the one small tests use first, is always normal.
    private static bool Every(int period, int index) => period > 0 && index % period == period - 1;
}

public enum FeedBehavior
{
    Normal,
    Slow,
    ServerError,
    Unavailable,
    Malformed,
}
