using System.Collections.Concurrent;
using System.Globalization;
using NewsBot.Model;
using NewsBot.Publishing;

namespace NewsBot.Benchmarks.Load;

/// <summary>
/// A chat platform that records every post with the time it arrived, and can fail a share of sends the way a
/// real platform does under strain: 5xx, timeouts and 429s with Retry-After. Stands in for a platform adapter.
/// </summary>
public sealed class RecordingPublisher(Platform platform, TimeProvider time, double faultRate = 0, int seed = 1) : IPlatformPublisher
{
    private readonly ConcurrentQueue<RecordedPost> _posts = new();
    private readonly ConcurrentDictionary<(string Channel, string Article), int> _received = new();
    private readonly Random _random = new(seed);
    private readonly Lock _randomLock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _faults;
    private long _messages;

    public Platform Platform => platform;

    public RateLimit? GlobalLimit => null;

    public RateLimit? ChannelLimit(Channel channel) => null;

    /// <summary>Posts accepted so far; digest items count one each.</summary>
    public IReadOnlyCollection<RecordedPost> Posts => _posts;

    public long Faults => Interlocked.Read(ref _faults);

    /// <summary>
    /// Posts of an article its channel had already received: what a user would see twice, whether a delivery was re-sent
    /// (same idempotency key) or the same article was delivered twice (two keys), which counting keys would miss.
    /// </summary>
    public int Duplicates => _received.Values.Sum(count => count - 1);

    public Task<PublishResult> PublishAsync(Channel channel, Post post, string idempotencyKey, CancellationToken cancellationToken) =>
        AcceptAsync(channel, [post], cancellationToken);

    public Task<PublishResult> PublishDigestAsync(Channel channel, DigestPost digest, string idempotencyKey, CancellationToken cancellationToken) =>
        AcceptAsync(channel, digest.Items, cancellationToken);

    public Task<PublishResult> NotifyAsync(Channel channel, string text, CancellationToken cancellationToken) =>
        Task.FromResult(PublishResult.Sent(NextMessageId()));

    /// <summary>Waits until <paramref name="condition"/> holds over the recorded posts, woken by each accepted post.</summary>
    public async Task WaitForAsync(Func<IReadOnlyCollection<RecordedPost>, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (condition(_posts))
            {
                return;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Posts did not meet the condition within {timeout}; {_posts.Count} recorded.");
            }
        }
    }

    private async Task<PublishResult> AcceptAsync(Channel channel, IReadOnlyList<Post> posts, CancellationToken cancellationToken)
    {
        if (NextFault() is { } fault)
        {
            Interlocked.Increment(ref _faults);
            if (fault == FaultKind.Timeout)
            {
                // A platform that does not answer: the adapter gives up after its own timeout.
                await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
                return PublishResult.Retry("fake.timeout");
            }

            return fault == FaultKind.TooManyRequests
                ? PublishResult.Retry("fake.429", TimeSpan.FromMilliseconds(200))
                : PublishResult.Retry("fake.http_503");
        }

        var now = time.GetUtcNow();
        foreach (var post in posts)
        {
            _received.AddOrUpdate((channel.ExternalId, post.Url ?? post.Title), 1, (_, count) => count + 1);
            _posts.Enqueue(new RecordedPost(channel.ExternalId, post.Title, post.Url, now));
        }

        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return PublishResult.Sent(NextMessageId());
    }

    private FaultKind? NextFault()
    {
        if (faultRate <= 0)
        {
            return null;
        }

        lock (_randomLock)
        {
            return _random.NextDouble() < faultRate ? (FaultKind)_random.Next(3) : null;
        }
    }

    private string NextMessageId() => Interlocked.Increment(ref _messages).ToString(CultureInfo.InvariantCulture);

    private enum FaultKind
    {
        ServerError,
        Timeout,
        TooManyRequests,
    }
}

/// <summary>One post as the platform received it.</summary>
public sealed record RecordedPost(string ChannelId, string Title, string? Url, DateTimeOffset ReceivedAt);
