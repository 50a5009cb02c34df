using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Fakes.Feeds;
using NewsBot.Feeds;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Tests.TestSupport;
using static NewsBot.Tests.TestSupport.ClusterProcesses;

namespace NewsBot.Tests.Feeds;

/// <summary>
/// Feed polling partitioned across processes: two processes of one bot on one PostgreSQL database poll a loopback
/// feed server on two host names; every due source is fetched once per round and no host by both at once.
/// </summary>
public sealed class ClusterPollingTests(PostgresServer server)
{
    private static readonly string[] HostNames = ["127.0.0.1", "localhost"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PollDue_TwoProcessesAtOnce_EachSourceFetchedOncePerRound_NoHostByBoth()
    {
        // Slow answers, so that two pollers of one host would overlap at the server.
        await using var feeds = await FakeFeedServer.StartAsync(new FakeFeedOptions { FeedCount = 6, SlowEvery = 1, SlowDelay = TimeSpan.FromMilliseconds(150) }, Ct);
        using var cluster = await CreateAsync(server);
        var first = await cluster.StartProcessAsync();
        var second = await cluster.StartProcessAsync();
        await AddSourcesAsync(first, feeds);

        var firstRound = await Task.WhenAll(PollAsync(first), PollAsync(second));

        Assert.Equal(6, firstRound.Sum());
        Assert.Equal(6, feeds.FeedRequests);
        Assert.Equal(1, feeds.MostAtOnceOnOneHost);
        Assert.All(await Sources(first).ListAsync(Ct), s => Assert.Equal(cluster.Clock.GetUtcNow(), s.LastPolledAt));

        // Past the longest interval a feed may ask for: every source is due again.
        cluster.Clock.Advance(TimeSpan.FromHours(7));
        await Heartbeat(first).BeatAsync(Ct);
        await Heartbeat(second).BeatAsync(Ct);
        var secondRound = await Task.WhenAll(PollAsync(first), PollAsync(second));

        Assert.Equal(6, secondRound.Sum());
        Assert.Equal(12, feeds.FeedRequests);
        Assert.Equal(1, feeds.MostAtOnceOnOneHost);
    }

    [Fact]
    public async Task PollDue_HostLeasedByProcessKilledMidPoll_PolledByAnotherOnceItsHeartbeatLapses()
    {
        await using var feeds = await FakeFeedServer.StartAsync(new FakeFeedOptions { FeedCount = 6 }, Ct);
        using var cluster = await CreateAsync(server);
        var killed = await cluster.StartProcessAsync();
        var survivor = await cluster.StartProcessAsync();
        await AddSourcesAsync(killed, feeds);
        // The killed process had claimed the first host's sources and never released them.
        var now = cluster.Clock.GetUtcNow();
        var due = (await Sources(killed).ListDueAsync(now, 100, Ct)).Where(s => new Uri(s.Url).Host == HostNames[0]).ToList();
        var claimed = await killed.Services.GetRequiredService<IPollLeaseStore>().ClaimHostAsync(HostNames[0], due, Identity(killed).Id, now, now - DeadAfter, Ct);
        Assert.Equal(3, claimed?.Count);

        Assert.Equal(3, await PollAsync(survivor));
        Assert.Equal(3, feeds.FeedRequests);

        // Still within DeadAfter of its last heartbeat: the lease holds.
        cluster.Clock.Advance(DeadAfter);
        await Heartbeat(survivor).BeatAsync(Ct);
        Assert.Equal(0, await PollAsync(survivor));

        cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        await Heartbeat(survivor).BeatAsync(Ct);
        Assert.Equal(3, await PollAsync(survivor));
        Assert.Equal(6, feeds.FeedRequests);
        Assert.All(await Sources(survivor).ListAsync(Ct), s => Assert.NotNull(s.LastPolledAt));
    }

    [Fact]
    public async Task PollDue_HostReleasedAfterPolling_NextRoundMayBeAnyProcess()
    {
        await using var feeds = await FakeFeedServer.StartAsync(new FakeFeedOptions { FeedCount = 6 }, Ct);
        using var cluster = await CreateAsync(server);
        var first = await cluster.StartProcessAsync();
        var second = await cluster.StartProcessAsync();
        await AddSourcesAsync(first, feeds);

        Assert.Equal(6, await PollAsync(first));
        cluster.Clock.Advance(TimeSpan.FromHours(7));
        await Heartbeat(first).BeatAsync(Ct);
        await Heartbeat(second).BeatAsync(Ct);

        // The first process released its hosts when it was done: they do not stay with it while it lives.
        Assert.Equal(6, await PollAsync(second));
    }

    private static async Task AddSourcesAsync(IHost host, FakeFeedServer feeds)
    {
        for (var feed = 0; feed < feeds.FeedCount; feed++)
        {
            await Sources(host).AddAsync(feeds.FeedUrl(feed, HostNames[feed * HostNames.Length / feeds.FeedCount]), $"feed {feed}", FullTextMode.Never, fromConfig: false, SourceKind.Feed, Ct);
        }
    }

    private static Task<int> PollAsync(IHost host) => host.Services.GetRequiredService<FeedPollingService>().PollDueAsync(Ct);

    private static ISourceStore Sources(IHost host) => host.Services.GetRequiredService<ISourceStore>();
}
