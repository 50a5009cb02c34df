using Microsoft.Extensions.DependencyInjection;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Runtime;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Publishing;

/// <summary>
/// Dispatchers of several processes over one database: each delivery sent once, a channel's rate kept whoever holds
/// it, and the claims of a process that died taken over (at once when it is known dead, after the lease otherwise).
/// </summary>
public sealed class DispatcherProcessesTests(PostgresServer server)
{
    private static readonly RateLimit ChannelRate = new(2, TimeSpan.FromSeconds(10));

    private static readonly RateLimit GlobalRate = new(4, TimeSpan.FromSeconds(1));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoDispatchers_OnePostgresDatabase_EachDeliveryOnceAndNoChannelOverItsRate()
    {
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        using var processes = await TwoProcessesAsync(settings, channelLimit: ChannelRate);
        var (a, b) = (processes.A, processes.B);
        var source = await a.AddSourceAsync("news");
        var channels = await SubscribeAsync(a, 8);
        await a.PublishAsync(source, "One", "Two", "Three", "Four", "Five");

        for (var second = 0; second < 120 && await a.Deliveries.CountPendingAsync(Ct) > 0; second++)
        {
            // One process alone, so channels change hands every second, then both at once, racing for the same channels.
            await (second % 2 == 0 ? a : b).DispatchOnceAsync();
            await Task.WhenAll(Task.Run(a.DispatchOnceAsync, Ct), Task.Run(b.DispatchOnceAsync, Ct));
            a.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var messages = a.Discord.Messages;
        Assert.Equal(channels.Count * 5, messages.Count);
        Assert.Equal(messages.Count, messages.Select(m => m.IdempotencyKey).Distinct().Count());
        foreach (var channel in messages.GroupBy(m => m.ChannelId))
        {
            // At most 2 posts in any 10 s: the third after a post is at least 10 s later.
            var times = channel.Select(m => m.At).Order().ToList();
            Assert.All(times.Skip(ChannelRate.Count).Zip(times), pair => Assert.True(pair.First - pair.Second >= ChannelRate.Period, $"{channel.Key}: {pair.Second:mm:ss} → {pair.First:mm:ss}"));
        }
    }

    [Fact]
    public async Task TwoDispatchers_SendingAtOnce_TogetherWithinThePlatformsGlobalBudget()
    {
        // Small rounds, so both processes hold channels and send at the same time; a lease no round outlives.
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server, new Dictionary<string, string?>
        {
            ["NewsBot:Publishing:BatchSize"] = "4",
            ["NewsBot:Publishing:ClaimLease"] = "01:00:00",
        });
        using var processes = await TwoProcessesAsync(settings, globalLimit: GlobalRate);
        var (a, b) = (processes.A, processes.B);
        var source = await a.AddSourceAsync("news");
        var channels = await SubscribeAsync(a, 12);
        await a.PublishAsync(source, "One", "Two");

        var sending = Task.WhenAll(Task.Run(() => DrainAsync(a), Ct), Task.Run(() => DrainAsync(b), Ct));
        while (!sending.IsCompleted)
        {
            // Both wait for their share of the budget on the shared fake clock; move it on while they send.
            a.Clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(sending, Task.Delay(5, Ct));
        }

        await sending;
        var times = a.Discord.Messages.Select(m => m.At).Order().ToList();
        Assert.Equal(channels.Count * 2, times.Count);
        // At most 4 in any second, both processes together (a little slack for the clock moving between gate and send).
        Assert.All(times.Skip(GlobalRate.Count).Zip(times), pair => Assert.True(pair.First - pair.Second >= GlobalRate.Period - TimeSpan.FromMilliseconds(100), $"{pair.Second:ss.fff} → {pair.First:ss.fff}"));

        static async Task DrainAsync(DeliveryTestBed bed)
        {
            while (await bed.Deliveries.CountPendingAsync(Ct) > 0)
            {
                await bed.DispatchOnceAsync();
            }
        }
    }

    [Fact]
    public async Task KilledDispatcher_ItsClaimsWithoutRelease_AreSentByTheOtherOnceTheLeaseRunsOut()
    {
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        using var processes = await TwoProcessesAsync(settings);
        var (a, b) = (processes.A, processes.B);
        var source = await a.AddSourceAsync("news");
        await SubscribeAsync(a, 3);
        await a.PublishAsync(source, "One", "Two");
        var lease = a.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PublishingOptions>>().Value.ClaimLease;

        // A claims its round and dies before sending anything: no release, and the cluster still lists it.
        var claimed = (await a.Services.GetRequiredService<DeliveryClaims>().ClaimAsync(Platform.Discord, 500, Ct)).Due;
        await b.DispatchAsync();
        var beforeLeaseEnds = a.Discord.Messages.Count;
        a.Clock.Advance(lease - TimeSpan.FromSeconds(1));
        await b.DispatchAsync();
        var justBefore = a.Discord.Messages.Count;
        a.Clock.Advance(TimeSpan.FromSeconds(1));
        await b.DispatchAsync();

        Assert.Equal(6, claimed.Count);
        Assert.Equal(0, beforeLeaseEnds);
        Assert.Equal(0, justBefore);
        Assert.Equal(claimed.Select(d => d.Delivery.Nonce).Order(), a.Discord.Messages.Select(m => m.IdempotencyKey).Order());
        Assert.Equal(0, await a.Deliveries.CountPendingAsync(Ct));
    }

    [Fact]
    public async Task ReleaseDuringADatabaseRestart_IsRetried_TheChannelsAreServedAgainBeforeTheLeaseEnds()
    {
        Assert.SkipUnless(PostgresServer.CanRestart, $"{PostgresServer.ConnectionVariable} names a server this test may not restart");
        // A server of its own: stopping the shared one would break the other tests' connections.
        await using var own = new PostgresServer();
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(StorageEngines.Postgres, own));
        var source = await bed.AddSourceAsync("news");
        await SubscribeAsync(bed, 2);
        await bed.PublishAsync(source, "One", "Two");
        var claims = bed.Services.GetRequiredService<DeliveryClaims>();
        var channelIds = (await claims.ClaimAsync(Platform.Discord, 500, Ct)).Due.Select(d => d.Channel.Id).Distinct().ToList();

        // The round ends while the server is down: its release fails, and is tried again once the server is back.
        await own.StopAsync(Ct);
        var release = claims.ReleaseAsync(channelIds, Ct);
        await own.StartAgainAsync(Ct);
        while (!release.IsCompleted)
        {
            bed.Clock.Advance(TimeSpan.FromMilliseconds(250));
            await Task.WhenAny(release, Task.Delay(20, Ct));
        }

        await release;
        await bed.DispatchAsync();

        Assert.Equal(4, bed.Discord.Messages.Count);
        Assert.Equal(0, await bed.Deliveries.CountPendingAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task RestartedProcess_ThePreviousRunsClaims_AreTakenAtOnce(string engine)
    {
        var settings = await StorageEngines.SettingsAsync(engine, server);
        using var killed = await DeliveryTestBed.CreateAsync(settings);
        var source = await killed.AddSourceAsync("news");
        await SubscribeAsync(killed, 2);
        await killed.PublishAsync(source, "One", "Two");
        await killed.Services.GetRequiredService<DeliveryClaims>().ClaimAsync(Platform.Discord, 500, Ct);

        // Alone, the new process is the only live one: the old id's claims do not wait for their lease.
        using var restarted = DeliveryTestBed.AnotherProcess(killed, settings);
        await restarted.DispatchAsync();

        Assert.Equal(4, killed.Discord.Messages.Count);
        Assert.Equal(0, await restarted.Deliveries.CountPendingAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task StoppingProcess_ReleasesItsClaims_TheOtherSendsWithoutWaitingForTheLease(string engine)
    {
        var settings = await StorageEngines.SettingsAsync(engine, server);
        using var processes = await TwoProcessesAsync(settings);
        var (stopping, other) = (processes.A, processes.B);
        var source = await stopping.AddSourceAsync("news");
        await SubscribeAsync(stopping, 2);
        await stopping.PublishAsync(source, "One", "Two");
        await stopping.Services.GetRequiredService<DeliveryClaims>().ClaimAsync(Platform.Discord, 500, Ct);
        await other.DispatchAsync();
        var whileHeld = stopping.Discord.Messages.Count;

        await stopping.Services.GetRequiredService<DeliveryDispatcher>().StopAsync(Ct);
        await other.DispatchAsync();

        Assert.Equal(0, whileHeld);
        Assert.Equal(4, stopping.Discord.Messages.Count);
    }

    [Fact]
    public async Task Holdings_DuringARound_CountTheClaimedDeliveries()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await bed.AddSourceAsync("news");
        await SubscribeAsync(bed, 2);
        await bed.PublishAsync(source, "One", "Two", "Three");
        var holdings = bed.Services.GetServices<IClusterHoldings>().Single(h => h is ClaimedChannels);

        var before = holdings.Describe().ToList();
        var claimed = (await bed.Services.GetRequiredService<DeliveryClaims>().ClaimAsync(Platform.Discord, 500, Ct)).Due;
        var during = holdings.Describe().Single();
        await bed.Services.GetRequiredService<DeliveryClaims>().ReleaseAsync(claimed.Select(d => d.Channel.Id).Distinct().ToList(), Ct);

        Assert.Empty(before);
        Assert.Equal("deliveries: 6 claimed in 2 channels", during);
        Assert.Empty(holdings.Describe());
    }

    private static async Task<List<string>> SubscribeAsync(DeliveryTestBed bed, int count)
    {
        var channels = Enumerable.Range(0, count).Select(i => $"{100 + i}").ToList();
        foreach (var channel in channels)
        {
            var reply = await bed.RunAsync("subscribe news", channelId: channel);
            Assert.False(reply.IsError, ReplyText.Of(reply));
        }

        return channels;
    }

    /// <summary>Two processes of one bot on one database (the first one's clock and platforms), both listed alive.</summary>
    private static async Task<Processes> TwoProcessesAsync(Dictionary<string, string?> settings, RateLimit? channelLimit = null, RateLimit? globalLimit = null)
    {
        var members = new ListedMembership();
        var a = await DeliveryTestBed.CreateAsync(settings, channelLimit, members, globalLimit);
        var b = DeliveryTestBed.AnotherProcess(a, settings, members);
        members.Add(a.ProcessId, b.ProcessId);
        return new Processes(a, b);
    }

    private sealed record Processes(DeliveryTestBed A, DeliveryTestBed B) : IDisposable
    {
        public void Dispose()
        {
            B.Dispose();
            A.Dispose();
        }
    }

    /// <summary>The processes a cluster would list as alive, as the test says.</summary>
    private sealed class ListedMembership : IClusterMembership
    {
        private readonly List<string> _ids = [];

        public void Add(params string[] ids) => _ids.AddRange(ids);

        public Task<IReadOnlyList<ClusterMember>> ListLiveAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ClusterMember>>([.. _ids.Select(id => new ClusterMember(id, "test", "test", DeliveryTestBed.Start, DeliveryTestBed.Start, []))]);
    }
}
