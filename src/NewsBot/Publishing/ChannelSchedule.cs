using NewsBot.Model;

namespace NewsBot.Publishing;

/// <summary>
/// Decides, for one channel and its due deliveries, what leaves now and what waits: quiet hours, the hourly cap
/// (governor), digest subscriptions, and the rule that a held-back backlog leaves as one digest. Pure: no database,
/// no platform, the clock only to read "now"; the dispatcher carries the plan out.
/// </summary>
public sealed class ChannelSchedule(TimeProvider time)
{
    /// <summary>A pending row older than this was held back (downtime, quiet hours, the cap): such a backlog leaves as one digest.</summary>
    public static readonly TimeSpan HeldBack = TimeSpan.FromMinutes(30);

    /// <summary>How long rows wait when the channel reached its hourly cap, before the schedule looks again.</summary>
    public static readonly TimeSpan GovernorWait = TimeSpan.FromMinutes(5);

    /// <param name="subscriptionOf">The delivery's subscription, null when it was removed.</param>
    /// <param name="postsLastHour">Posts (a digest counts once) the channel received in the past hour.</param>
    public ChannelPlan Plan(Channel channel, IReadOnlyList<Delivery> due, Func<Delivery, Subscription?> subscriptionOf, int postsLastHour)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(due);
        ArgumentNullException.ThrowIfNull(subscriptionOf);
        var plan = new ChannelPlan();
        var now = time.GetUtcNow();

        // Unsubscribed (the row lost its subscription) or paused: these are not sent at all.
        var dropped = due.Where(d => subscriptionOf(d) is null or { Paused: true }).ToList();
        foreach (var group in dropped.GroupBy(d => subscriptionOf(d)?.PausedReason ?? "publish.unsubscribed"))
        {
            plan.Drop(group.ToList(), group.Key);
        }

        var live = due.Except(dropped).ToList();
        if (live.Count == 0)
        {
            return plan;
        }

        var zone = ZoneOf(channel);
        if (QuietUntil(channel, zone, now) is { } quietEnd)
        {
            return plan.Postpone(live, quietEnd);
        }

        var allowance = channel.MaxPostsPerHour - postsLastHour;
        if (allowance <= 0)
        {
            // Over the cap: hold the backlog; when room frees it leaves as one digest (its rows are old by then).
            return plan.Postpone(live, now + GovernorWait);
        }

        // Digest subscriptions wait for the next hour or day boundary in the channel's time zone, then leave together.
        var scheduled = live.Where(d => subscriptionOf(d)!.Digest != DigestMode.Off).ToList();
        foreach (var waiting in scheduled.Select(d => (Delivery: d, Due: DigestDue(d.CreatedAt, subscriptionOf(d)!.Digest, zone))).Where(x => x.Due > now).GroupBy(x => x.Due))
        {
            plan.Postpone(waiting.Select(x => x.Delivery).ToList(), waiting.Key);
        }

        foreach (var mode in scheduled.Where(d => DigestDue(d.CreatedAt, subscriptionOf(d)!.Digest, zone) <= now).GroupBy(d => subscriptionOf(d)!.Digest))
        {
            if (allowance <= 0)
            {
                plan.Postpone(mode.ToList(), now + GovernorWait);
                continue;
            }

            allowance--;
            plan.Send(mode.Key == DigestMode.Hourly ? SendKind.HourlyDigest : SendKind.DailyDigest, mode.ToList());
        }

        var immediate = live.Except(scheduled).ToList();
        if (immediate.Count == 0)
        {
            return plan;
        }

        if (allowance <= 0)
        {
            return plan.Postpone(immediate, now + GovernorWait);
        }

        var backlog = immediate.Count > 1 && immediate.Any(d => d.Attempts == 0 && d.CreatedAt < now - HeldBack);
        if (immediate.Count > allowance || backlog)
        {
            plan.Send(SendKind.BacklogDigest, immediate);
            return plan;
        }

        foreach (var delivery in immediate)
        {
            plan.Send(SendKind.Single, [delivery]);
        }

        return plan;
    }

    /// <summary>The first hour (or day) boundary after a delivery was planned, in the channel's local time.</summary>
    public static DateTimeOffset DigestDue(DateTimeOffset plannedAt, DigestMode mode, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(plannedAt, zone).DateTime;
        var boundary = mode == DigestMode.Daily
            ? local.Date.AddDays(1)
            : new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0, DateTimeKind.Unspecified).AddHours(1);
        return new DateTimeOffset(boundary, zone.GetUtcOffset(boundary));
    }

    private static TimeZoneInfo ZoneOf(Channel channel) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(channel.TimeZone, out var found) ? found : TimeZoneInfo.Utc;

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
}

/// <summary>What a planned post is: one article, or a digest of several under the heading its kind names.</summary>
public enum SendKind
{
    Single,
    /// <summary>An hourly digest subscription's rows at the hour.</summary>
    HourlyDigest,
    /// <summary>A daily digest subscription's rows at midnight.</summary>
    DailyDigest,
    /// <summary>More rows than the cap allows, or a held-back backlog: one "new articles" digest.</summary>
    BacklogDigest,
}

/// <summary>One post to send now: a single delivery, or several as one digest.</summary>
public sealed record PlannedSend(SendKind Kind, IReadOnlyList<Delivery> Deliveries);

/// <summary>What the schedule decided for one channel: rows dropped (with why), rows held until a time, and posts to send in order.</summary>
public sealed class ChannelPlan
{
    private readonly List<(IReadOnlyList<Delivery> Deliveries, string Reason)> _dropped = [];
    private readonly List<(IReadOnlyList<Delivery> Deliveries, DateTimeOffset Until)> _postponed = [];
    private readonly List<PlannedSend> _sends = [];

    public IReadOnlyList<(IReadOnlyList<Delivery> Deliveries, string Reason)> Dropped => _dropped;

    public IReadOnlyList<(IReadOnlyList<Delivery> Deliveries, DateTimeOffset Until)> Postponed => _postponed;

    /// <summary>In the order they go out: digests first, then the channel's single posts oldest first.</summary>
    public IReadOnlyList<PlannedSend> Sends => _sends;

    internal void Drop(IReadOnlyList<Delivery> deliveries, string reason) => _dropped.Add((deliveries, reason));

    internal ChannelPlan Postpone(IReadOnlyList<Delivery> deliveries, DateTimeOffset until)
    {
        _postponed.Add((deliveries, until));
        return this;
    }

    internal void Send(SendKind kind, IReadOnlyList<Delivery> deliveries) => _sends.Add(new PlannedSend(kind, deliveries));
}
