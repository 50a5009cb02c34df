using Microsoft.Extensions.Time.Testing;
using NewsBot.Model;
using NewsBot.Publishing;

namespace NewsBot.Tests.Publishing;

/// <summary>The channel schedule on its own: no database, no platform, a fake clock.</summary>
public sealed class ChannelScheduleTests
{
    private static readonly DateTimeOffset Monday9 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Monday9);
    private readonly Dictionary<long, Subscription> _subscriptions = new() { [1] = new Subscription { Id = 1, ChannelId = 1, Target = SubscriptionTarget.All } };

    private ChannelPlan Plan(Channel channel, IReadOnlyList<Delivery> due, int postsLastHour = 0) =>
        new ChannelSchedule(_clock).Plan(channel, due, d => d.SubscriptionId is { } id ? _subscriptions.GetValueOrDefault(id) : null, postsLastHour);

    private static Channel Channel(int cap = 20, TimeOnly? quietStart = null, TimeOnly? quietEnd = null, string zone = "UTC") =>
        new() { Id = 1, Platform = Platform.Discord, ExternalId = "100", MaxPostsPerHour = cap, QuietStart = quietStart, QuietEnd = quietEnd, TimeZone = zone };

    private IReadOnlyList<Delivery> Due(int count, long subscription = 1, TimeSpan? age = null) =>
        [.. Enumerable.Range(1, count).Select(i => new Delivery { Id = i, ChannelId = 1, ArticleId = i, SubscriptionId = subscription, CreatedAt = _clock.GetUtcNow() - (age ?? TimeSpan.Zero) })];

    [Fact]
    public void Plan_FewNewRows_SendsEachAloneOldestFirst()
    {
        var plan = Plan(Channel(), Due(3));

        Assert.Equal([SendKind.Single, SendKind.Single, SendKind.Single], plan.Sends.Select(s => s.Kind));
        Assert.Equal([1L, 2L, 3L], plan.Sends.Select(s => s.Deliveries.Single().Id));
        Assert.Empty(plan.Postponed);
    }

    [Fact]
    public void Plan_QuietHoursAcrossMidnightInTheChannelsZone_HoldsEverythingUntilTheyEnd()
    {
        // 09:00 UTC is 18:00 in Tokyo, inside 17:00–07:00 local.
        var plan = Plan(Channel(quietStart: new TimeOnly(17, 0), quietEnd: new TimeOnly(7, 0), zone: "Asia/Tokyo"), Due(2));

        Assert.Empty(plan.Sends);
        var (held, until) = Assert.Single(plan.Postponed);
        Assert.Equal(2, held.Count);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 7, 0, 0, TimeSpan.FromHours(9)), until);
    }

    [Fact]
    public void Plan_CapReached_HoldsForTheGovernorWait()
    {
        var plan = Plan(Channel(cap: 3), Due(2), postsLastHour: 3);

        Assert.Empty(plan.Sends);
        Assert.Equal(Monday9 + ChannelSchedule.GovernorWait, Assert.Single(plan.Postponed).Until);
    }

    [Fact]
    public void Plan_MoreRowsThanTheCapAllows_OneBacklogDigest()
    {
        var plan = Plan(Channel(cap: 5), Due(4), postsLastHour: 2);

        var send = Assert.Single(plan.Sends);
        Assert.Equal(SendKind.BacklogDigest, send.Kind);
        Assert.Equal(4, send.Deliveries.Count);
    }

    [Fact]
    public void Plan_RowsHeldBackLongerThanHalfAnHour_LeaveAsOneDigest()
    {
        var plan = Plan(Channel(), Due(2, age: ChannelSchedule.HeldBack + TimeSpan.FromMinutes(1)));

        Assert.Equal(SendKind.BacklogDigest, Assert.Single(plan.Sends).Kind);
    }

    [Fact]
    public void Plan_OneOldRowAlone_IsSentAsItself()
    {
        var plan = Plan(Channel(), Due(1, age: TimeSpan.FromHours(3)));

        Assert.Equal(SendKind.Single, Assert.Single(plan.Sends).Kind);
    }

    [Fact]
    public void Plan_HourlyDigestSubscription_WaitsForTheHourThenSendsOne()
    {
        _subscriptions[1] = _subscriptions[1] with { Digest = DigestMode.Hourly };
        _clock.Advance(TimeSpan.FromMinutes(20));
        var due = Due(3);

        var before = Plan(Channel(), due);
        _clock.Advance(TimeSpan.FromMinutes(40));
        var at = Plan(Channel(), due);

        Assert.Empty(before.Sends);
        Assert.Equal(Monday9.AddHours(1), Assert.Single(before.Postponed).Until);
        Assert.Equal(SendKind.HourlyDigest, Assert.Single(at.Sends).Kind);
        Assert.Empty(at.Postponed);
    }

    [Fact]
    public void Plan_PausedAndRemovedSubscriptions_DropTheirRowsWithTheReason()
    {
        _subscriptions[2] = new Subscription { Id = 2, ChannelId = 1, Target = SubscriptionTarget.All, Paused = true, PausedReason = "discord.missing_access" };
        var due = Due(1, subscription: 2).Concat(Due(1, subscription: 9).Select(d => d with { Id = 5 })).ToList();

        var plan = Plan(Channel(), due);

        Assert.Empty(plan.Sends);
        Assert.Equal(["discord.missing_access", "publish.unsubscribed"], plan.Dropped.Select(d => d.Reason).Order());
    }

    [Fact]
    public void DigestDue_Daily_NextMidnightInTheChannelsZone()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        var due = ChannelSchedule.DigestDue(Monday9, DigestMode.Daily, zone);

        Assert.Equal(new DateTimeOffset(2026, 3, 3, 0, 0, 0, TimeSpan.FromHours(-5)), due);
    }
}
