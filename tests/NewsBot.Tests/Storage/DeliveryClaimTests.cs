using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>The outbox's claims, on each engine: whole channels per owner, leases, liveness, fenced settling.</summary>
public sealed class DeliveryClaimTests(PostgresServer server)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DeliveryClaim Claim(DeliveryTestBed bed, string owner, params string[] live) =>
        new(owner, bed.Clock.GetUtcNow(), bed.Clock.GetUtcNow() + Lease, live.Length == 0 ? ["a", "b"] : live);

    /// <summary>Two channels subscribed to one source, three articles: six pending rows.</summary>
    private async Task<DeliveryTestBed> TwoChannelsAsync(string engine)
    {
        var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("subscribe news", channelId: "100");
        await bed.RunAsync("subscribe news", channelId: "200");
        await bed.PublishAsync(source, "One", "Two", "Three");
        return bed;
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Claim_ChannelsHeldByALiveOwner_AreNotClaimedAgainByAnyone(string engine)
    {
        using var bed = await TwoChannelsAsync(engine);

        var first = await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "a"), 100, Ct);
        var second = await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "b"), 100, Ct);
        var again = await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "a"), 100, Ct);

        Assert.Equal(6, first.Count);
        Assert.Equal(first.Select(d => d.Delivery.Id).Order(), first.Select(d => d.Delivery.Id));
        Assert.Empty(second);
        Assert.Empty(again);
        Assert.Equal(bed.Clock.GetUtcNow() + Lease, await bed.Deliveries.NextDueAsync(Platform.Discord, Claim(bed, "b"), Ct));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Claim_LimitCutsThroughAChannel_TheWholeChannelIsHeld(string engine)
    {
        using var bed = await TwoChannelsAsync(engine);

        // The three oldest rows belong to both channels (planned per article); each claimer gets whole channels only.
        var first = await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "a"), 1, Ct);
        var second = await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "b"), 100, Ct);

        var firstChannel = Assert.Single(first).Channel.Id;
        Assert.Equal(3, second.Count);
        Assert.All(second, d => Assert.NotEqual(firstChannel, d.Channel.Id));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Claim_LeaseRanOutOrOwnerGone_AnotherOwnerTakesTheChannel(string engine)
    {
        using var bed = await TwoChannelsAsync(engine);
        await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "a"), 100, Ct);

        var whileAlive = await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "b"), 100, Ct);
        var ownerGone = await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "b", live: "b"), 100, Ct);
        await bed.Deliveries.ReleaseClaimsAsync("b", null, Ct);
        await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "a"), 100, Ct);
        bed.Clock.Advance(Lease);
        var leaseOver = await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "b"), 100, Ct);

        Assert.Empty(whileAlive);
        Assert.Equal(6, ownerGone.Count);
        Assert.Equal(6, leaseOver.Count);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Settle_AfterTheClaimWasTakenOver_ChangesNothing(string engine)
    {
        using var bed = await TwoChannelsAsync(engine);
        var mine = await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "a"), 100, Ct);
        var ids = mine.Select(d => d.Delivery.Id).ToList();
        bed.Clock.Advance(Lease);
        await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "b"), 100, Ct);

        await bed.Deliveries.MarkSentAsync("a", ids.Take(2).ToList(), DeliveryStatus.Sent, "m1", bed.Clock.GetUtcNow(), Ct);
        await using (var recorder = await bed.Deliveries.OpenSentRecorderAsync("a", Ct))
        {
            await recorder.MarkSentAsync(ids[2], "m2", bed.Clock.GetUtcNow(), Ct);
        }

        await bed.Deliveries.MarkFailedAsync("a", [ids[3]], "x", Ct);
        await bed.Deliveries.MarkRetryAsync("a", [ids[4]], bed.Clock.GetUtcNow().AddHours(1), "x", Ct);
        await bed.Deliveries.PostponeAsync("a", [ids[5]], bed.Clock.GetUtcNow().AddHours(1), Ct);
        var untouched = (await bed.DeliveriesOfAsync("100")).Concat(await bed.DeliveriesOfAsync("200")).ToList();
        await bed.Deliveries.MarkSentAsync("b", ids, DeliveryStatus.Sent, "m3", bed.Clock.GetUtcNow(), Ct);

        Assert.All(untouched, row => Assert.Equal((DeliveryStatus.Pending, 0, (string?)null), (row.Status, row.Attempts, row.LastError)));
        Assert.All(untouched, row => Assert.True(row.NextAttemptAt <= bed.Clock.GetUtcNow()));
        Assert.All((await bed.DeliveriesOfAsync("100")).Concat(await bed.DeliveriesOfAsync("200")), row => Assert.Equal("m3", row.PlatformMessageId));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Release_ReleasedChannels_AreClaimableAtOnce(string engine)
    {
        using var bed = await TwoChannelsAsync(engine);
        var mine = await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "a"), 100, Ct);
        var channel100 = mine.First(d => d.Channel.ExternalId == "100").Channel.Id;

        await bed.Deliveries.ReleaseClaimsAsync("a", [channel100], Ct);
        var one = await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "b"), 100, Ct);
        await bed.Deliveries.ReleaseClaimsAsync("a", null, Ct);
        var other = await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "b"), 100, Ct);

        Assert.All(one, d => Assert.Equal("100", d.Channel.ExternalId));
        Assert.Equal(3, one.Count);
        Assert.All(other, d => Assert.Equal("200", d.Channel.ExternalId));
        Assert.Equal(3, other.Count);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Renew_BeforeTheLeaseEnds_KeepsTheChannel(string engine)
    {
        using var bed = await TwoChannelsAsync(engine);
        var mine = await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "a"), 100, Ct);
        bed.Clock.Advance(Lease / 2);

        await bed.Deliveries.RenewClaimsAsync("a", mine.Select(d => d.Channel.Id).Distinct().ToList(), bed.Clock.GetUtcNow() + Lease, Ct);
        bed.Clock.Advance(Lease / 2);

        Assert.Empty(await bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, "b"), 100, Ct));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Claim_ManyOwnersAtOnce_NoChannelIsClaimedTwice(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        for (var i = 0; i < 20; i++)
        {
            await bed.RunAsync("subscribe news", channelId: $"{1000 + i}");
        }

        await bed.PublishAsync(source, "One", "Two");
        var pending = await bed.Deliveries.CountPendingAsync(Ct);
        var owners = Enumerable.Range(0, 6).Select(i => $"p{i}").ToArray();

        // Each owner runs rounds as a dispatcher does, all at once: claim a few rows, settle them, release the channels.
        // Rows of a channel beyond a round's limit wait for a later round (of anyone); no row may be claimed twice.
        var claims = await Task.WhenAll(owners.Select(owner => Task.Run(async () =>
        {
            var mine = new List<(Delivery Delivery, Channel Channel)>();
            for (var round = 0; round < 200 && await bed.Deliveries.CountPendingAsync(Ct) > 0; round++)
            {
                var rows = await Next(owner);
                if (rows.Count == 0)
                {
                    continue;
                }

                await bed.Deliveries.MarkSentAsync(owner, [.. rows.Select(r => r.Delivery.Id)], DeliveryStatus.Sent, owner, bed.Clock.GetUtcNow(), Ct);
                await bed.Deliveries.ReleaseClaimsAsync(owner, [.. rows.Select(r => r.Channel.Id).Distinct()], Ct);
                mine.AddRange(rows);
            }

            return mine;
        }, Ct)));

        Assert.InRange(pending, 20, 40);
        Assert.Equal(0, await bed.Deliveries.CountPendingAsync(Ct));
        Assert.Equal(pending, claims.Sum(c => c.Count));
        Assert.Equal(pending, claims.SelectMany(c => c).Select(d => d.Delivery.Id).Distinct().Count());

        Task<IReadOnlyList<(Delivery Delivery, Channel Channel)>> Next(string owner) =>
            bed.Deliveries.ClaimDueAsync(Platform.Discord, Claim(bed, owner, owners), 3, Ct);
    }
}
