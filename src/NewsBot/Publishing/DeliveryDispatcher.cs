using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Knowledge;
using NewsBot.Model;
using NewsBot.Runtime;
using NewsBot.Storage;

namespace NewsBot.Publishing;

/// <summary>
/// Drains the outbox through each channel's platform adapter, one readable loop per platform: <b>claim</b> the oldest
/// due rows of whole channels for this process (<see cref="DeliveryClaims"/>), let the <b>schedule</b> decide what
/// leaves now (<see cref="ChannelSchedule"/>: quiet hours, the cap, digests), <b>send</b> within the platform's declared
/// rates, <b>settle</b> each outcome before the channel's next send (<see cref="DeliverySettler"/>), release the claim.
/// A crash loses nothing: a pending row is sent after a restart, a sent one never again (the duplicate window is between
/// the platform's answer and that commit).
/// </summary>
public sealed partial class DeliveryDispatcher : BackgroundService
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(30);

    /// <summary>A digest lists at most this many articles, the newest; the rest are counted under a /latest hint.</summary>
    public const int DigestMaxItems = 15;
    private readonly DeliveryClaims _claims;
    private readonly ChannelSchedule _schedule;
    private readonly DeliverySettler _settler;
    private readonly IDeliveryStore _deliveries;
    private readonly ISubscriptionStore _subscriptions;
    private readonly PostLoader _posts;
    private readonly SummaryTranslator _translator;
    private readonly DeliverySignal _signal;
    private readonly TimeProvider _time;
    private readonly PublishingOptions _options;
    private readonly ILogger<DeliveryDispatcher> _logger;
    private readonly Dictionary<Platform, IPlatformPublisher> _publishers;
    private readonly Dictionary<Platform, RateGate> _globalGates = [];

    public DeliveryDispatcher(
        IEnumerable<IPlatformPublisher> publishers,
        DeliveryClaims claims,
        ChannelSchedule schedule,
        DeliverySettler settler,
        IDeliveryStore deliveries,
        ISubscriptionStore subscriptions,
        PostLoader posts,
        SummaryTranslator translator,
        DeliverySignal signal,
        TimeProvider time,
        IOptions<PublishingOptions> options,
        ILogger<DeliveryDispatcher> logger)
    {
        _claims = claims;
        _schedule = schedule;
        _settler = settler;
        _deliveries = deliveries;
        _subscriptions = subscriptions;
        _posts = posts;
        _translator = translator;
        _signal = signal;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _publishers = publishers.ToDictionary(p => p.Platform);
        foreach (var publisher in _publishers.Values)
        {
            if (publisher.GlobalLimit is { } global)
            {
                _globalGates[publisher.Platform] = new RateGate(global, time);
            }
        }
    }

    // Each platform drains on its own loop: a slow platform's limits must not hold the other's posts back.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var keepAlive = _claims.KeepAliveAsync(stoppingToken);
        await Task.WhenAll(_publishers.Keys.Select(platform => DrainAsync(platform, _signal.Listen(), stoppingToken)));
        await keepAlive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Stops the loops, then gives back whatever this process still holds, so another process need not wait out the lease.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _claims.ReleaseAllAsync();
    }

    private async Task DrainAsync(Platform platform, DeliverySignal.Listener wakeUp, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var round = await DispatchDueAsync(platform, stoppingToken);
                if (round.Settled == 0)
                {
                    var next = await _claims.NextDueAsync(platform, stoppingToken);
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
                await ((Task)wakeUp.WaitAsync(TimeSpan.FromSeconds(5), _time, stoppingToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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

    /// <summary>One round: claim → schedule → send → settle, per channel in parallel; then the channels are released.</summary>
    private async Task<DispatchRound> DispatchDueAsync(Platform platform, CancellationToken cancellationToken)
    {
        // The claim, not a lock here, keeps two rounds (this loop, a direct caller, another process) off one channel.
        var (due, liveProcesses) = await _claims.ClaimAsync(platform, _options.BatchSize, cancellationToken);
        if (due.Count == 0)
        {
            return new DispatchRound(0, null);
        }

        var publisher = _publishers[platform];
        ShareGlobalRate(publisher, liveProcesses);

        var channelIds = due.Select(d => d.Channel.Id).Distinct().ToList();
        try
        {
            // What posts need, for the whole batch in a few queries; per delivery only its state commit remains.
            var subscriptions = await _subscriptions.GetManyAsync(due.Select(d => d.Delivery.SubscriptionId).OfType<long>().Distinct().ToList(), cancellationToken);
            var posts = await _posts.LoadAsync(due.Select(d => d.Delivery.ArticleId).ToList(), cancellationToken);
            var recentPosts = await _deliveries.RecentPostsAsync(channelIds, _time.GetUtcNow() - TimeSpan.FromHours(1), cancellationToken);
            await using var recorder = await _settler.OpenRecorderAsync(cancellationToken);
            var byChannel = due.GroupBy(d => d.Channel.Id)
                .Select(g => new ChannelBatch(g.First().Channel, g.Select(x => x.Delivery).ToList(), recentPosts[g.Key].ToList(), subscriptions, posts, recorder))
                .Select(batch => batch with { Gate = ChannelGate(publisher, batch) })
                .ToList();
            var settled = 0;
            await Parallel.ForEachAsync(
                byChannel,
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentSends, CancellationToken = cancellationToken },
                async (batch, token) => Interlocked.Add(ref settled, await DispatchChannelAsync(publisher, batch, token)));
            var freeAt = byChannel.Select(b => b.FreeAt).Where(t => t is not null).Min();
            return new DispatchRound(settled, freeAt);
        }
        finally
        {
            await _claims.ReleaseAsync(channelIds, cancellationToken);
        }
    }

    /// <summary>Carries out one channel's plan; returns how many of its rows were settled.</summary>
    private async Task<int> DispatchChannelAsync(IPlatformPublisher publisher, ChannelBatch batch, CancellationToken cancellationToken)
    {
        var plan = _schedule.Plan(batch.Channel, batch.Deliveries, batch.SubscriptionOf, batch.RecentPosts.Count);
        foreach (var (dropped, reason) in plan.Dropped)
        {
            await _settler.DropAsync(dropped, reason, cancellationToken);
        }

        foreach (var (held, until) in plan.Postponed)
        {
            await _settler.PostponeAsync(held, until, cancellationToken);
        }

        for (var i = 0; i < plan.Sends.Count; i++)
        {
            var send = plan.Sends[i];
            SendOutcome outcome;
            if (send.Kind == SendKind.Single)
            {
                if (TryEnterChannelRate(batch) is { } wait)
                {
                    // The channel is at its own rate: its rows stay due, in order, and this send slot serves other channels.
                    batch.FreeAt = _time.GetUtcNow() + wait;
                    return batch.Deliveries.Count - plan.Sends.Skip(i).Sum(s => s.Deliveries.Count);
                }

                outcome = await SendOneAsync(publisher, batch, send.Deliveries[0], cancellationToken);
            }
            else
            {
                outcome = await SendDigestAsync(publisher, batch, send, cancellationToken);
            }

            if (outcome.Continue)
            {
                continue;
            }

            // After a failed post the channel's later posts do not hit the platform at once: when it backs off they wait
            // as long, behind it (oldest first); after a pause they are failed; after a move they go next round.
            if (send.Kind == SendKind.Single && outcome.RetryAt is { } retryAt && i + 1 < plan.Sends.Count)
            {
                await _settler.PostponeAsync(plan.Sends.Skip(i + 1).SelectMany(s => s.Deliveries), retryAt, cancellationToken);
            }

            break;
        }

        return batch.Deliveries.Count;
    }

    private async Task<SendOutcome> SendOneAsync(IPlatformPublisher publisher, ChannelBatch batch, Delivery delivery, CancellationToken cancellationToken)
    {
        var post = batch.Posts.Create(delivery.ArticleId, batch.SubscriptionOf(delivery));
        if (post is null)
        {
            await _settler.DropAsync([delivery], "publish.article_missing", cancellationToken);
            return new SendOutcome(Continue: true, RetryAt: null);
        }

        // Before the rate gate: a slow model must not hold a send slot the platform could use.
        post = await _translator.TranslateAsync(post, cancellationToken);
        await WaitForGlobalRateAsync(publisher, cancellationToken);
        var result = await publisher.PublishAsync(batch.Channel, post, delivery.Nonce, cancellationToken);
        return await _settler.SettleAsync(publisher, batch.Channel, [delivery], result, DeliveryStatus.Sent, batch.Recorder, cancellationToken);
    }

    private async Task<SendOutcome> SendDigestAsync(IPlatformPublisher publisher, ChannelBatch batch, PlannedSend send, CancellationToken cancellationToken)
    {
        var deliveries = send.Deliveries;
        var items = deliveries
            .Select(d => batch.Posts.Create(d.ArticleId, batch.SubscriptionOf(d), withRelated: false))
            .OfType<Post>()
            .Select(p => p with { Format = PostFormat.Compact })
            .ToList();
        if (items.Count == 0)
        {
            await _settler.DropAsync(deliveries, "publish.article_missing", cancellationToken);
            return new SendOutcome(Continue: true, RetryAt: null);
        }

        var texts = ChannelTexts.Of(batch.Channel);
        var heading = send.Kind switch
        {
            SendKind.HourlyDigest => texts["Digest.Hourly"],
            SendKind.DailyDigest => texts["Digest.Daily"],
            _ => texts.Format("Digest.NewArticles", deliveries.Count),
        };

        // Never a wall: the newest few, oldest of them first, and a count of the rest with the command that lists them.
        var shown = items.OrderByDescending(p => p.PublishedAt).Take(DigestMaxItems).OrderBy(p => p.PublishedAt).ToList();
        var more = items.Count > shown.Count ? texts.Format("Digest.More", items.Count - shown.Count) : null;
        if (batch.Gate is { } channelRate)
        {
            await channelRate.WaitAsync(cancellationToken);
        }

        await WaitForGlobalRateAsync(publisher, cancellationToken);
        var result = await publisher.PublishDigestAsync(batch.Channel, new DigestPost(heading, shown, more), deliveries[0].Nonce, cancellationToken);
        return await _settler.SettleAsync(publisher, batch.Channel, deliveries, result, DeliveryStatus.Digested, batch.Recorder, cancellationToken);
    }

    /// <summary>Takes a slot of the channel's rate (null), or tells how long until one frees.</summary>
    private static TimeSpan? TryEnterChannelRate(ChannelBatch batch)
    {
        var wait = batch.Gate?.TryEnter() ?? TimeSpan.Zero;
        return wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>
    /// The platform's global budget is shared by the live processes in equal parts (each sends to its own channels, so
    /// no process can tell how busy the others are); the share follows the membership every round.
    /// </summary>
    private void ShareGlobalRate(IPlatformPublisher publisher, int liveProcesses)
    {
        if (_globalGates.TryGetValue(publisher.Platform, out var global) && publisher.GlobalLimit is { } budget)
        {
            global.Limit = liveProcesses > 1 ? Paced(budget.ShareOf(liveProcesses)) : budget;
        }
    }

    private async Task WaitForGlobalRateAsync(IPlatformPublisher publisher, CancellationToken cancellationToken)
    {
        if (_globalGates.TryGetValue(publisher.Platform, out var global))
        {
            await global.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The channel's rate for this round, continuing from its posts in the outbox: whichever process (or round) sent
    /// them, the channel's holder now counts them, so a channel never goes faster because it changed hands.
    /// </summary>
    private RateGate? ChannelGate(IPlatformPublisher publisher, ChannelBatch batch) =>
        publisher.ChannelLimit(batch.Channel) is { } limit ? new RateGate(Paced(limit), _time, batch.RecentPosts) : null;

    /// <summary>
    /// A platform counts a request when it arrives, a gate when it leaves, and requests take different times on the way
    /// (a busy machine; several processes sending at once): a channel's gate, and the global one while processes share
    /// it, hold a slot <see cref="ArrivalSpread"/> longer than the platform's period, so arrivals stay within the limit.
    /// That is 9 % below a per-second budget and nothing measurable on a per-minute one. A process alone keeps the whole
    /// global budget: its requests leave one after another, and the fan-out proof met no 429 at 100 % of it.
    /// </summary>
    private static RateLimit Paced(RateLimit limit) => limit with { Period = limit.Period + ArrivalSpread };

    /// <summary>How much later a request may arrive than the one sent after it and still be counted in order.</summary>
    internal static readonly TimeSpan ArrivalSpread = TimeSpan.FromMilliseconds(100);

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.Zero ? TimeSpan.Zero : wait > IdleWait ? IdleWait : wait;

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery dispatch failed; retrying shortly")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);

    /// <summary>How many rows a batch settled, and when the first channel held back by its own rate may post again.</summary>
    private readonly record struct DispatchRound(int Settled, DateTimeOffset? ChannelFreeAt);

    /// <summary>One channel's share of a batch, with what the batch loaded for it.</summary>
    private sealed record ChannelBatch(
        Channel Channel,
        List<Delivery> Deliveries,
        IReadOnlyList<DateTimeOffset> RecentPosts,
        IReadOnlyDictionary<long, Subscription> Subscriptions,
        PostBatch Posts,
        ISentRecorder Recorder)
    {
        /// <summary>Set when the channel's rate held rows back: when it may post again.</summary>
        public DateTimeOffset? FreeAt { get; set; }

        /// <summary>The channel's own rate, where its platform declares one.</summary>
        public RateGate? Gate { get; init; }

        public Subscription? SubscriptionOf(Delivery delivery) =>
            delivery.SubscriptionId is { } id ? Subscriptions.GetValueOrDefault(id) : null;
    }
}
