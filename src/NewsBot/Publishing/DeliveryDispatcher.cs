using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Knowledge;
using NewsBot.Model;
using NewsBot.Runtime;
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

    /// <summary>A pending row older than this was held back (downtime, quiet hours, the cap): such a backlog leaves as one digest.</summary>
    private static readonly TimeSpan HeldBack = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan GovernorWait = TimeSpan.FromMinutes(5);

    /// <summary>A digest lists at most this many articles, the newest; the rest are counted under a /latest hint.</summary>
    public const int DigestMaxItems = 15;
    private readonly IDeliveryStore _deliveries;
    private readonly ISubscriptionStore _subscriptions;
    private readonly IChannelStore _channels;
    private readonly PostLoader _posts;
    private readonly SummaryTranslator _translator;
    private readonly DeliverySignal _signal;
    private readonly TimeProvider _time;
    private readonly PublishingOptions _options;
    private readonly ILogger<DeliveryDispatcher> _logger;
    private readonly Dictionary<Platform, IPlatformPublisher> _publishers;
    private readonly Dictionary<Platform, RateGate> _globalGates = [];
    private readonly Dictionary<long, RateGate> _channelGates = [];

    private readonly Dictionary<Platform, SemaphoreSlim> _batches;

    // Sends run in parallel across channels, their state commits one at a time: SQLite has one writer, and writers
    // that collide wait in its busy handler (milliseconds of sleep) instead of queueing here (microseconds).
    private readonly SemaphoreSlim _commits = new(1, 1);

    public DeliveryDispatcher(
        IEnumerable<IPlatformPublisher> publishers,
        IDeliveryStore deliveries,
        ISubscriptionStore subscriptions,
        IChannelStore channels,
        PostLoader posts,
        SummaryTranslator translator,
        DeliverySignal signal,
        TimeProvider time,
        IOptions<PublishingOptions> options,
        ILogger<DeliveryDispatcher> logger)
    {
        _deliveries = deliveries;
        _subscriptions = subscriptions;
        _channels = channels;
        _posts = posts;
        _translator = translator;
        _signal = signal;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _publishers = publishers.ToDictionary(p => p.Platform);
        _batches = _publishers.Keys.ToDictionary(p => p, _ => new SemaphoreSlim(1, 1));
        foreach (var publisher in _publishers.Values)
        {
            if (publisher.GlobalLimit is { } global)
            {
                _globalGates[publisher.Platform] = new RateGate(global, time);
            }
        }
    }

    // Each platform drains on its own loop: a slow platform's limits must not hold the other's posts back.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_publishers.Keys.Select(platform => DrainAsync(platform, _signal.Listen(), stoppingToken)));

    private async Task DrainAsync(Platform platform, DeliverySignal.Listener wakeUp, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var round = await DispatchDueAsync(platform, stoppingToken);
                if (round.Settled == 0)
                {
                    var next = await _deliveries.NextDueAsync(platform, stoppingToken);
                    if (round.ChannelFreeAt is { } free && (next is null || free > next))
                    {
                        // Everything due waits on its channel's rate: wake when the first channel may post again.
                        next = free;
                    }

                    var wait = next is { } due ? Clamp(due - _time.GetUtcNow()) : IdleWait;
                    await wakeUp.WaitAsync(wait, _time, stoppingToken);
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
                await wakeUp.WaitAsync(TimeSpan.FromSeconds(5), _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Sends one batch of due deliveries per configured platform. Returns how many rows were settled (sent, digested,
    /// failed or postponed). Rows of a platform not configured in this run stay pending for when it is.
    /// </summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var settled = 0;
        foreach (var platform in _publishers.Keys)
        {
            settled += (await DispatchDueAsync(platform, cancellationToken)).Settled;
        }

        return settled;
    }

    private async Task<DispatchRound> DispatchDueAsync(Platform platform, CancellationToken cancellationToken)
    {
        // One batch at a time per platform: the background loop and a direct caller (CLI, tests) must never send the same row twice.
        var gate = _batches[platform];
        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            var due = await _deliveries.ListDueAsync(platform, now, _options.BatchSize, cancellationToken);
            if (due.Count == 0)
            {
                return new DispatchRound(0, null);
            }

            // What posts need, for the whole batch in a few queries; per delivery only its state commit remains.
            var subscriptions = await _subscriptions.GetManyAsync(due.Select(d => d.Delivery.SubscriptionId).OfType<long>().Distinct().ToList(), cancellationToken);
            var posts = await _posts.LoadAsync(due.Select(d => d.Delivery.ArticleId).ToList(), cancellationToken);
            var recentPosts = await _deliveries.CountPostsSinceAsync(due.Select(d => d.Channel.Id).Distinct().ToList(), now - TimeSpan.FromHours(1), cancellationToken);
            await using var recorder = await _deliveries.OpenSentRecorderAsync(cancellationToken);
            var byChannel = due.GroupBy(d => d.Channel.Id)
                .Select(g => new ChannelBatch(g.First().Channel, g.Select(x => x.Delivery).ToList(), recentPosts.GetValueOrDefault(g.Key), subscriptions, posts, recorder))
                .ToList();
            var settled = 0;
            var publisher = _publishers[platform];
            await Parallel.ForEachAsync(
                byChannel,
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentSends, CancellationToken = cancellationToken },
                async (batch, token) => Interlocked.Add(ref settled, await DispatchChannelAsync(publisher, batch, token)));
            var freeAt = byChannel.Select(b => b.FreeAt).Where(t => t is not null).Min();
            return new DispatchRound(settled, freeAt);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Sends one channel's share of a batch; returns how many of its rows were settled.</summary>
    private async Task<int> DispatchChannelAsync(IPlatformPublisher publisher, ChannelBatch batch, CancellationToken cancellationToken)
    {
        var channel = batch.Channel;
        var now = _time.GetUtcNow();
        // Unsubscribed (the row lost its subscription) or paused: these are not sent at all.
        var dropped = batch.Deliveries.Where(d => batch.SubscriptionOf(d) is null or { Paused: true }).ToList();
        foreach (var group in dropped.GroupBy(d => batch.SubscriptionOf(d)?.PausedReason ?? "publish.unsubscribed"))
        {
            await _deliveries.MarkFailedAsync(Ids(group), group.Key, cancellationToken);
        }

        var live = batch.Deliveries.Except(dropped).ToList();
        if (live.Count == 0)
        {
            return dropped.Count;
        }

        var zone = ZoneOf(channel);
        if (QuietUntil(channel, zone, now) is { } quietEnd)
        {
            await _deliveries.PostponeAsync(Ids(live), quietEnd, cancellationToken);
            return batch.Deliveries.Count;
        }

        var allowance = channel.MaxPostsPerHour - batch.PostsLastHour;
        if (allowance <= 0)
        {
            // Over the cap: hold the backlog; when room frees it leaves as one digest (its rows are old by then).
            await _deliveries.PostponeAsync(Ids(live), now + GovernorWait, cancellationToken);
            return batch.Deliveries.Count;
        }

        // Digest subscriptions wait for the next hour or day boundary in the channel's time zone, then leave together.
        var scheduled = live.Where(d => batch.SubscriptionOf(d)!.Digest != DigestMode.Off).ToList();
        foreach (var waiting in scheduled.Select(d => (Delivery: d, Due: DigestDue(d.CreatedAt, batch.SubscriptionOf(d)!.Digest, zone))).Where(x => x.Due > now).GroupBy(x => x.Due))
        {
            await _deliveries.PostponeAsync(waiting.Select(x => x.Delivery.Id).ToList(), waiting.Key, cancellationToken);
        }

        foreach (var mode in scheduled.Where(d => DigestDue(d.CreatedAt, batch.SubscriptionOf(d)!.Digest, zone) <= now).GroupBy(d => batch.SubscriptionOf(d)!.Digest))
        {
            var heading = ChannelTexts.Of(channel)[mode.Key == DigestMode.Hourly ? "Digest.Hourly" : "Digest.Daily"];
            if (allowance <= 0)
            {
                await _deliveries.PostponeAsync(Ids(mode), now + GovernorWait, cancellationToken);
                continue;
            }

            allowance--;
            if (!(await SendDigestAsync(publisher, batch, mode.ToList(), heading, cancellationToken)).Continue)
            {
                return batch.Deliveries.Count;
            }
        }

        var immediate = live.Except(scheduled).ToList();
        if (immediate.Count == 0)
        {
            return batch.Deliveries.Count;
        }

        if (allowance <= 0)
        {
            await _deliveries.PostponeAsync(Ids(immediate), now + GovernorWait, cancellationToken);
            return batch.Deliveries.Count;
        }

        var backlog = immediate.Count > 1 && immediate.Any(d => d.Attempts == 0 && d.CreatedAt < now - HeldBack);
        if (immediate.Count > allowance || backlog)
        {
            await SendDigestAsync(publisher, batch, immediate, ChannelTexts.Of(channel).Format("Digest.NewArticles", immediate.Count), cancellationToken);
            return batch.Deliveries.Count;
        }

        for (var i = 0; i < immediate.Count; i++)
        {
            if (TryEnterChannelRate(publisher, channel) is { } wait)
            {
                // The channel is at its own rate: its rows stay due, in order, and this send slot serves other channels.
                batch.FreeAt = now + wait;
                return batch.Deliveries.Count - (immediate.Count - i);
            }

            var sent = await SendOneAsync(publisher, batch, immediate[i], cancellationToken);
            if (sent.Continue)
            {
                continue;
            }

            // After a failure the channel's later rows do not hit the platform at once: when the failed one backs off
            // they wait as long, behind it (oldest first); after a pause they are failed; after a move they go next batch.
            if (sent.RetryAt is { } retryAt && i + 1 < immediate.Count)
            {
                await _deliveries.PostponeAsync(Ids(immediate.Skip(i + 1)), retryAt, cancellationToken);
            }

            break;
        }

        return batch.Deliveries.Count;
    }

    private async Task<SendResult> SendOneAsync(IPlatformPublisher publisher, ChannelBatch batch, Delivery delivery, CancellationToken cancellationToken)
    {
        var post = batch.Posts.Create(delivery.ArticleId, batch.SubscriptionOf(delivery));
        if (post is null)
        {
            await _deliveries.MarkFailedAsync([delivery.Id], "publish.article_missing", cancellationToken);
            return new SendResult(Continue: true, RetryAt: null);
        }

        // Before the rate gate: a slow model must not hold a send slot the platform could use.
        post = await _translator.TranslateAsync(post, cancellationToken);
        await WaitForGlobalRateAsync(publisher, cancellationToken);
        var result = await publisher.PublishAsync(batch.Channel, post, delivery.Nonce, cancellationToken);
        return await SettleAsync(publisher, batch, [delivery], result, DeliveryStatus.Sent, cancellationToken);
    }

    private async Task<SendResult> SendDigestAsync(IPlatformPublisher publisher, ChannelBatch batch, List<Delivery> deliveries, string heading, CancellationToken cancellationToken)
    {
        var items = deliveries
            .Select(d => batch.Posts.Create(d.ArticleId, batch.SubscriptionOf(d), withRelated: false))
            .OfType<Post>()
            .Select(p => p with { Format = PostFormat.Compact })
            .ToList();
        if (items.Count == 0)
        {
            await _deliveries.MarkFailedAsync(Ids(deliveries), "publish.article_missing", cancellationToken);
            return new SendResult(Continue: true, RetryAt: null);
        }

        // Never a wall: the newest few, oldest of them first, and a count of the rest with the command that lists them.
        var shown = items.OrderByDescending(p => p.PublishedAt).Take(DigestMaxItems).OrderBy(p => p.PublishedAt).ToList();
        var more = items.Count > shown.Count ? ChannelTexts.Of(batch.Channel).Format("Digest.More", items.Count - shown.Count) : null;
        await WaitForChannelRateAsync(publisher, batch.Channel, cancellationToken);
        await WaitForGlobalRateAsync(publisher, cancellationToken);
        var result = await publisher.PublishDigestAsync(batch.Channel, new DigestPost(heading, shown, more), deliveries[0].Nonce, cancellationToken);
        return await SettleAsync(publisher, batch, deliveries, result, DeliveryStatus.Digested, cancellationToken);
    }

    private async Task<SendResult> SettleAsync(IPlatformPublisher publisher, ChannelBatch batch, IReadOnlyList<Delivery> deliveries, PublishResult result, DeliveryStatus sentStatus, CancellationToken cancellationToken)
    {
        if (result.Outcome == PublishOutcome.Sent)
        {
            // Never cancelled: the platform already took the post, and only this commit stops a resend after a restart.
            await _commits.WaitAsync(CancellationToken.None);
            try
            {
                if (sentStatus == DeliveryStatus.Sent && deliveries is [var single])
                {
                    await batch.Recorder.MarkSentAsync(single.Id, result.MessageId ?? "", _time.GetUtcNow(), CancellationToken.None);
                }
                else
                {
                    await _deliveries.MarkSentAsync(Ids(deliveries), sentStatus, result.MessageId ?? "", _time.GetUtcNow(), CancellationToken.None);
                }
            }
            finally
            {
                _commits.Release();
            }

            return new SendResult(Continue: true, RetryAt: null);
        }

        if (result.Outcome == PublishOutcome.Failed)
        {
            // Only this message was refused (our markup, its length): it will not improve with retries, and the channel is fine.
            var reason = result.Reason ?? "publish.failed";
            await _deliveries.MarkFailedAsync(Ids(deliveries), reason, cancellationToken);
            LogDeliveryFailed(_logger, batch.Channel.Platform, batch.Channel.ExternalId, reason);
            return new SendResult(Continue: true, RetryAt: null);
        }

        return new SendResult(Continue: false, RetryAt: await SettleFailureAsync(publisher, batch.Channel, deliveries, result, cancellationToken));
    }

    /// <summary>Stores a failed send's outcome; returns when it will be tried again, if it will.</summary>
    private async Task<DateTimeOffset?> SettleFailureAsync(IPlatformPublisher publisher, Channel channel, IReadOnlyList<Delivery> deliveries, PublishResult result, CancellationToken cancellationToken)
    {
        var ids = Ids(deliveries);
        var now = _time.GetUtcNow();
        switch (result.Outcome)
        {
            case PublishOutcome.Moved when result.NewExternalId is { } newId:
                await _channels.MoveAsync(channel.Id, newId, cancellationToken);
                await _deliveries.PostponeAsync(ids, now, cancellationToken);
                LogChannelMoved(_logger, channel.Platform, channel.ExternalId, newId);
                return null;
            case PublishOutcome.Permanent or PublishOutcome.Moved:
                var reason = result.Reason ?? "publish.permanent";
                await _deliveries.MarkFailedAsync(ids, reason, cancellationToken);
                var paused = await _subscriptions.PauseChannelAsync(channel.Id, reason, cancellationToken);
                await _deliveries.FailPendingForChannelAsync(channel.Id, reason, cancellationToken);
                LogChannelPaused(_logger, channel.Platform, channel.ExternalId, reason);
                if (paused > 0)
                {
                    // Once, on the transition; where the channel cannot take even this, the stored reason shows in /subscriptions.
                    var notice = await publisher.NotifyAsync(channel, ChannelTexts.Of(channel).Format("Notice.Stopped", reason), cancellationToken);
                    if (notice.Outcome != PublishOutcome.Sent)
                    {
                        LogNoticeFailed(_logger, channel.Platform, channel.ExternalId, notice.Reason);
                    }
                }

                return null;
            default:
                var attempts = deliveries.Max(d => d.Attempts) + 1;
                if (attempts >= _options.MaxAttempts)
                {
                    await _deliveries.MarkFailedAsync(ids, $"publish.gave_up after {attempts} attempts: {result.Reason}", cancellationToken);
                    return null;
                }

                var backoff = RetryDelay(attempts);
                var wait = result.RetryAfter is { } retryAfter && retryAfter > backoff ? retryAfter : backoff;
                await _deliveries.MarkRetryAsync(ids, now + wait, result.Reason ?? "publish.retry", cancellationToken);
                LogRetry(_logger, channel.Platform, channel.ExternalId, result.Reason, wait);
                return now + wait;
        }
    }

    /// <summary>Takes a slot of the channel's rate (null), or tells how long until one frees.</summary>
    private TimeSpan? TryEnterChannelRate(IPlatformPublisher publisher, Channel channel)
    {
        var wait = ChannelGate(publisher, channel)?.TryEnter() ?? TimeSpan.Zero;
        return wait > TimeSpan.Zero ? wait : null;
    }

    private async Task WaitForChannelRateAsync(IPlatformPublisher publisher, Channel channel, CancellationToken cancellationToken)
    {
        if (ChannelGate(publisher, channel) is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }
    }

    private async Task WaitForGlobalRateAsync(IPlatformPublisher publisher, CancellationToken cancellationToken)
    {
        if (_globalGates.TryGetValue(publisher.Platform, out var global))
        {
            await global.WaitAsync(cancellationToken);
        }
    }

    private RateGate? ChannelGate(IPlatformPublisher publisher, Channel channel)
    {
        if (publisher.ChannelLimit(channel) is not { } limit)
        {
            return null;
        }

        lock (_channelGates)
        {
            if (!_channelGates.TryGetValue(channel.Id, out var gate))
            {
                gate = new RateGate(limit, _time);
                _channelGates[channel.Id] = gate;
            }

            return gate;
        }
    }

    private static List<long> Ids(IEnumerable<Delivery> deliveries) => deliveries.Select(d => d.Id).ToList();

    private TimeSpan RetryDelay(int attempts)
    {
        var exponential = _options.RetryDelay * Math.Pow(2, Math.Min(attempts - 1, 20));
        var capped = exponential > _options.MaxRetryDelay ? _options.MaxRetryDelay : exponential;
        // ±20 % jitter so many channels failing together do not retry together.
        return capped * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    private static TimeZoneInfo ZoneOf(Channel channel) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(channel.TimeZone, out var found) ? found : TimeZoneInfo.Utc;

    /// <summary>The first hour (or day) boundary after a delivery was planned, in the channel's local time.</summary>
    public static DateTimeOffset DigestDue(DateTimeOffset plannedAt, DigestMode mode, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(plannedAt, zone).DateTime;
        var boundary = mode == DigestMode.Daily
            ? local.Date.AddDays(1)
            : new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0, DateTimeKind.Unspecified).AddHours(1);
        return new DateTimeOffset(boundary, zone.GetUtcOffset(boundary));
    }

    private static DateTimeOffset? QuietUntil(Channel channel, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (channel.QuietStart is not { } start || channel.QuietEnd is not { } end)
        {
            return null;
        }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell {Platform} channel {ChannelId} why it was paused: {Reason}")]
    private static partial void LogNoticeFailed(ILogger logger, Platform platform, string channelId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Platform} channel {ChannelId} refused one post, which is dropped: {Reason}")]
    private static partial void LogDeliveryFailed(ILogger logger, Platform platform, string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Platform} channel {ChannelId} moved to {NewChannelId}")]
    private static partial void LogChannelMoved(ILogger logger, Platform platform, string channelId, string newChannelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery to {Platform} channel {ChannelId} will be retried in {Delay}: {Reason}")]
    private static partial void LogRetry(ILogger logger, Platform platform, string channelId, string? reason, TimeSpan delay);

    /// <summary>
    /// Whether the channel's next post may go now (this one was sent, had nothing to send, or failed alone), and when
    /// a failed send is tried again.
    /// </summary>
    private readonly record struct SendResult(bool Continue, DateTimeOffset? RetryAt);

    /// <summary>How many rows a batch settled, and when the first channel held back by its own rate may post again.</summary>
    private readonly record struct DispatchRound(int Settled, DateTimeOffset? ChannelFreeAt);

    /// <summary>One channel's share of a batch, with what the batch loaded for it.</summary>
    private sealed record ChannelBatch(
        Channel Channel,
        List<Delivery> Deliveries,
        int PostsLastHour,
        IReadOnlyDictionary<long, Subscription> Subscriptions,
        PostBatch Posts,
        ISentRecorder Recorder)
    {
        /// <summary>Set when the channel's rate held rows back: when it may post again.</summary>
        public DateTimeOffset? FreeAt { get; set; }

        public Subscription? SubscriptionOf(Delivery delivery) =>
            delivery.SubscriptionId is { } id ? Subscriptions.GetValueOrDefault(id) : null;
    }
}
