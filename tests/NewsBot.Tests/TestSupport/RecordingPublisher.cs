using System.Collections.Concurrent;
using System.Globalization;
using NewsBot.Model;
using NewsBot.Publishing;

namespace NewsBot.Tests.TestSupport;

/// <summary>What a <see cref="RecordingPublisher"/> was asked to send: a post or a digest, to a channel, with its key, and when (by the publisher's clock).</summary>
public sealed record RecordedMessage(string ChannelId, string IdempotencyKey, Post? Post, DigestPost? Digest)
{
    public DateTimeOffset At { get; init; }
}

/// <summary>
/// A fake chat platform for the dispatcher: records what it accepts, declares the limits it is given, and can be
/// scripted per channel (by the platform's channel id) to answer transient, permanent or "moved" results.
/// </summary>
public sealed class RecordingPublisher(Platform platform, RateLimit? channelLimit = null, TimeProvider? clock = null, RateLimit? globalLimit = null) : IPlatformPublisher
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<PublishResult>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PublishResult> _broken = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedMessage> _messages = new();
    private readonly ConcurrentQueue<(string ChannelId, string Text)> _notices = new();
    private int _attempts;
    private long _nextMessageId;

    public Platform Platform => platform;

    public RateLimit? GlobalLimit => globalLimit;

    public RateLimit? ChannelLimit(Channel channel) => channelLimit;

    public IReadOnlyList<RecordedMessage> Messages => _messages.ToList();

    public IReadOnlyList<(string ChannelId, string Text)> Notices => _notices.ToList();

    /// <summary>Every call to publish, including those answered with a failure.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>The next sends to this channel get these results, in order; after them sends succeed.</summary>
    public void Script(string channelId, params PublishResult[] results)
    {
        var queue = _scripts.GetOrAdd(channelId, _ => new ConcurrentQueue<PublishResult>());
        foreach (var result in results)
        {
            queue.Enqueue(result);
        }
    }

    /// <summary>Every send to this channel gets this result from now on (a channel that is gone).</summary>
    public void Break(string channelId, PublishResult result) => _broken[channelId] = result;

    public Task<PublishResult> PublishAsync(Channel channel, Post post, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(new RecordedMessage(channel.ExternalId, idempotencyKey, post, null)));

    public Task<PublishResult> PublishDigestAsync(Channel channel, DigestPost digest, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(new RecordedMessage(channel.ExternalId, idempotencyKey, null, digest)));

    public Task<PublishResult> NotifyAsync(Channel channel, string text, CancellationToken cancellationToken)
    {
        _notices.Enqueue((channel.ExternalId, text));
        return Task.FromResult(PublishResult.Sent(NextId()));
    }

    private PublishResult Answer(RecordedMessage message)
    {
        Interlocked.Increment(ref _attempts);
        if (_broken.TryGetValue(message.ChannelId, out var broken))
        {
            return broken;
        }

        if (_scripts.TryGetValue(message.ChannelId, out var script) && script.TryDequeue(out var scripted))
        {
            return scripted;
        }

        _messages.Enqueue(message with { At = (clock ?? TimeProvider.System).GetUtcNow() });
        return PublishResult.Sent(NextId());
    }

    private string NextId() => Interlocked.Increment(ref _nextMessageId).ToString(CultureInfo.InvariantCulture);
}
