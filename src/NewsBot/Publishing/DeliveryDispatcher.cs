using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Publishing;

/// <summary>
/// Drains the outbox oldest first through each channel's platform adapter, within the platform's rates and each
/// channel's governor. Every outcome is stored before the next send, so a crash loses nothing: a pending row is
/// sent after a restart, a sent one never again (the duplicate window is between the platform's answer and that commit).
/// </summary>
public sealed partial class DeliveryDispatcher : BackgroundService
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(30);
    private readonly DeliveryStore _deliveries;
    private readonly SubscriptionStore _subscriptions;
    private readonly ChannelStore _channels;
    private readonly PostFactory _posts;
    private readonly DeliverySignal _signal;
    private readonly TimeProvider _time;
    private readonly PublishingOptions _options;
    private readonly ILogger<DeliveryDispatcher> _logger;
    private readonly Dictionary<Platform, IPlatformPublisher> _publishers;
    private readonly Dictionary<Platform, RateGate> _globalGates = [];
    private readonly Dictionary<long, RateGate> _channelGates = [];

    public DeliveryDispatcher(
        IEnumerable<IPlatformPublisher> publishers,
        DeliveryStore deliveries,
        SubscriptionStore subscriptions,
        ChannelStore channels,
        PostFactory posts,
        DeliverySignal signal,
        TimeProvider time,
        IOptions<PublishingOptions> options,
        ILogger<DeliveryDispatcher> logger)
    {
        _deliveries = deliveries;
        _subscriptions = subscriptions;
        _channels = channels;
        _posts = posts;
        _signal = signal;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _publishers = publishers.ToDictionary(p => p.Platform);
        foreach (var publisher in _publishers.Values)
        {
            if (publisher.Limits.Global is { } global)
            {
                _globalGates[publisher.Platform] = new RateGate(global, time);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await DispatchDueAsync(stoppingToken);
                if (sent == 0)
                {
                    var next = await _deliveries.NextDueAsync(stoppingToken);
                    var wait = next is { } due ? Clamp(due - _time.GetUtcNow()) : IdleWait;
                    await _signal.WaitAsync(wait, _time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A storage hiccup (disk full, locked) must not end delivery: log, wait a little, try again.
                LogDispatchFailed(_logger, ex);
                await _signal.WaitAsync(TimeSpan.FromSeconds(5), _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Sends one batch of due deliveries. Returns how many rows were settled (sent, digested, failed or postponed).</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var due = await _deliveries.ListDueAsync(_time.GetUtcNow(), _options.BatchSize, cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var byChannel = due.GroupBy(d => d.Channel.Id).Select(g => (Channel: g.First().Channel, Deliveries: g.Select(x => x.Delivery).ToList())).ToList();
        var settled = 0;
        await Parallel.ForEachAsync(
            byChannel,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentSends, CancellationToken = cancellationToken },
            async (group, token) => Interlocked.Add(ref settled, await DispatchChannelAsync(group.Channel, group.Deliveries, token)));
        return settled;
    }

    private async Task<int> DispatchChannelAsync(Channel channel, List<Delivery> deliveries, CancellationToken cancellationToken)
    {
        var ids = deliveries.Select(d => d.Id).ToList();
        if (!_publishers.TryGetValue(channel.Platform, out var publisher))
        {
            // The platform is not configured in this run: keep the posts for when it is.
            await _deliveries.PostponeAsync(ids, _time.GetUtcNow() + TimeSpan.FromHours(1), cancellationToken);
            return ids.Count;
        }

        var now = _time.GetUtcNow();
        if (QuietUntil(channel, now) is { } quietEnd)
        {
            await _deliveries.PostponeAsync(ids, quietEnd, cancellationToken);
            return ids.Count;
        }

        var allowance = channel.MaxPostsPerHour - await _deliveries.CountPostsSinceAsync(channel.Id, now - TimeSpan.FromHours(1), cancellationToken);
        if (allowance <= 0)
        {
            // Over the cap: hold the backlog; when room frees it leaves as one digest.
            await _deliveries.PostponeAsync(ids, now + TimeSpan.FromMinutes(5), cancellationToken);
            return ids.Count;
        }

        if (deliveries.Count > allowance || deliveries.Count > 1 && deliveries.Any(d => d.Attempts == 0 && d.NextAttemptAt < now - TimeSpan.FromMinutes(30)))
        {
            return await SendDigestAsync(publisher, channel, deliveries, cancellationToken);
        }

        var settled = 0;
        foreach (var delivery in deliveries)
        {
            settled += await SendOneAsync(publisher, channel, delivery, cancellationToken);
        }

        return settled;
    }

    private async Task<int> SendOneAsync(IPlatformPublisher publisher, Channel channel, Delivery delivery, CancellationToken cancellationToken)
    {
        var subscription = delivery.SubscriptionId is { } subscriptionId ? await _subscriptions.GetAsync(subscriptionId, cancellationToken) : null;
        var post = await _posts.CreateAsync(delivery.ArticleId, subscription, cancellationToken);
        if (post is null)
        {
            await _deliveries.MarkFailedAsync([delivery.Id], "publish.article_missing", cancellationToken);
            return 1;
        }

        await WaitForRateAsync(publisher, channel, cancellationToken);
        var result = await publisher.PublishAsync(channel, post, delivery.Nonce, cancellationToken);
        await SettleAsync(channel, [delivery], result, DeliveryStatus.Sent, cancellationToken);
        return 1;
    }

    private async Task<int> SendDigestAsync(IPlatformPublisher publisher, Channel channel, List<Delivery> deliveries, CancellationToken cancellationToken)
    {
        var posts = new List<Post>(deliveries.Count);
        foreach (var delivery in deliveries)
        {
            if (await _posts.CreateAsync(delivery.ArticleId, null, cancellationToken) is { } post)
            {
                posts.Add(post with { Format = PostFormat.Compact });
            }
        }

        var digest = new DigestPost($"{posts.Count} new articles", posts);
        await WaitForRateAsync(publisher, channel, cancellationToken);
        var result = await publisher.PublishDigestAsync(channel, digest, deliveries[0].Nonce, cancellationToken);
        await SettleAsync(channel, deliveries, result, DeliveryStatus.Digested, cancellationToken);
        return deliveries.Count;
    }

    private async Task SettleAsync(Channel channel, List<Delivery> deliveries, PublishResult result, DeliveryStatus sentStatus, CancellationToken cancellationToken)
    {
        var ids = deliveries.Select(d => d.Id).ToList();
        var now = _time.GetUtcNow();
        switch (result.Outcome)
        {
            case PublishOutcome.Sent:
                await _deliveries.MarkSentAsync(ids, sentStatus, result.MessageId ?? "", now, cancellationToken);
                break;
            case PublishOutcome.Moved when result.NewExternalId is { } newId:
                await _channels.MoveAsync(channel.Id, newId, cancellationToken);
                await _deliveries.PostponeAsync(ids, now, cancellationToken);
                LogChannelMoved(_logger, channel.Platform, channel.ExternalId, newId);
                break;
            case PublishOutcome.Permanent or PublishOutcome.Moved:
                var reason = result.Reason ?? "publish.permanent";
                await _deliveries.MarkFailedAsync(ids, reason, cancellationToken);
                await _subscriptions.PauseChannelAsync(channel.Id, reason, cancellationToken);
                await _deliveries.FailPendingForChannelAsync(channel.Id, reason, cancellationToken);
                LogChannelPaused(_logger, channel.Platform, channel.ExternalId, reason);
                break;
            default:
                var attempts = deliveries.Max(d => d.Attempts) + 1;
                if (attempts >= _options.MaxAttempts)
                {
                    await _deliveries.MarkFailedAsync(ids, $"publish.gave_up after {attempts} attempts: {result.Reason}", cancellationToken);
                    break;
                }

                var backoff = RetryDelay(attempts);
                var wait = result.RetryAfter is { } retryAfter && retryAfter > backoff ? retryAfter : backoff;
                await _deliveries.MarkRetryAsync(ids, now + wait, result.Reason ?? "publish.retry", cancellationToken);
                LogRetry(_logger, channel.Platform, channel.ExternalId, result.Reason, wait);
                break;
        }
    }

    private async Task WaitForRateAsync(IPlatformPublisher publisher, Channel channel, CancellationToken cancellationToken)
    {
        var perChannel = publisher.Limits.PerChannel;
        if (perChannel is not null)
        {
            RateGate gate;
            lock (_channelGates)
            {
                if (!_channelGates.TryGetValue(channel.Id, out gate!))
                {
                    gate = new RateGate(IsGroup(channel) && publisher.Limits.PerGroupChannel is { } group ? group : perChannel, _time);
                    _channelGates[channel.Id] = gate;
                }
            }

            await gate.WaitAsync(cancellationToken);
        }

        if (_globalGates.TryGetValue(publisher.Platform, out var global))
        {
            await global.WaitAsync(cancellationToken);
        }
    }

    // Telegram group and supergroup ids are negative; private chats positive.
    private static bool IsGroup(Channel channel) => channel.Platform == Platform.Telegram && channel.ExternalId.StartsWith('-');

    private TimeSpan RetryDelay(int attempts)
    {
        var exponential = _options.RetryDelay * Math.Pow(2, Math.Min(attempts - 1, 20));
        var capped = exponential > _options.MaxRetryDelay ? _options.MaxRetryDelay : exponential;
        // ±20 % jitter so many channels failing together do not retry together.
        return capped * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    private static DateTimeOffset? QuietUntil(Channel channel, DateTimeOffset now)
    {
        if (channel.QuietStart is not { } start || channel.QuietEnd is not { } end)
        {
            return null;
        }

        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(channel.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (!time.IsBetween(start, end))
        {
            return null;
        }

        var endDate = local.Date + end.ToTimeSpan();
        if (endDate <= local.DateTime)
        {
            endDate = endDate.AddDays(1);
        }

        return new DateTimeOffset(endDate, zone.GetUtcOffset(endDate));
    }

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.Zero ? TimeSpan.Zero : wait > IdleWait ? IdleWait : wait;

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery dispatch failed; retrying shortly")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscriptions of {Platform} channel {ChannelId} paused: {Reason}")]
    private static partial void LogChannelPaused(ILogger logger, Platform platform, string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Platform} channel {ChannelId} moved to {NewChannelId}")]
    private static partial void LogChannelMoved(ILogger logger, Platform platform, string channelId, string newChannelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery to {Platform} channel {ChannelId} will be retried in {Delay}: {Reason}")]
    private static partial void LogRetry(ILogger logger, Platform platform, string channelId, string? reason, TimeSpan delay);
}
