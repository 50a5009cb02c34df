using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
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
    public async Task PollDue_ProcessKilledHoldingAHost_ItsSourcesPolledByAnotherWithinTwiceTheInterval()
    {
        var interval = TimeSpan.FromMinutes(2);
        await using var feeds = await FakeFeedServer.StartAsync(new FakeFeedOptions { FeedCount = 6 }, Ct);
        using var cluster = await CreateAsync(server, new Dictionary<string, string?>
        {
            ["NewsBot:Feeds:PollInterval"] = interval.ToString("c"),
            ["NewsBot:Feeds:MinPollInterval"] = interval.ToString("c"),
        });
        var killed = await cluster.StartProcessAsync();
        var survivor = await cluster.StartProcessAsync();
        await AddSourcesAsync(killed, feeds);
        Assert.Equal(6, (await Task.WhenAll(PollAsync(killed), PollAsync(survivor))).Sum());
        var polledAt = cluster.Clock.GetUtcNow();
        Assert.All(await Sources(survivor).ListAsync(Ct), s => Assert.Equal(polledAt + interval, s.NextPollAt));

        // Due again: the killed process claims the first host, then dies before fetching anything (no release, no beat).
        cluster.Clock.Advance(interval);
        await Heartbeat(killed).BeatAsync(Ct);
        await Heartbeat(survivor).BeatAsync(Ct);
        var now = cluster.Clock.GetUtcNow();
        var due = (await Sources(killed).ListDueAsync(now, 100, Ct)).Where(s => new Uri(s.Url).Host == HostNames[0]).ToList();
        Assert.Equal(3, (await killed.Services.GetRequiredService<IPollLeaseStore>().ClaimHostAsync(HostNames[0], due, Identity(killed).Id, now, now - DeadAfter, Ct))?.Count);
        var killedAt = now;

        // The survivor's loop: a round every second while a due host is held elsewhere, a heartbeat every 10 s.
        var deadline = polledAt + (2 * interval);
        while (cluster.Clock.GetUtcNow() < deadline && feeds.FeedRequests < 12)
        {
            await PollAsync(survivor);
            cluster.Clock.Advance(TimeSpan.FromSeconds(1));
            if ((cluster.Clock.GetUtcNow() - killedAt).Seconds % 10 == 0)
            {
                await Heartbeat(survivor).BeatAsync(Ct);
            }
        }

        Assert.Equal(12, feeds.FeedRequests);
        var all = await Sources(survivor).ListAsync(Ct);
        Assert.All(all, s => Assert.InRange(s.LastPolledAt!.Value, polledAt + interval, deadline));
        // Not before the lease lapsed: while the killed process could still have been alive, its host stayed its own.
        Assert.All(all.Where(s => new Uri(s.Url).Host == HostNames[0]), s => Assert.True(s.LastPolledAt >= killedAt + DeadAfter, $"{s.Url} polled at {s.LastPolledAt}"));
    }

    [Fact]
    public async Task Options_ClusterDeadAfterLongerThanHalfTheShortestInterval_RefusedNamingTheSettings()
    {
        using var cluster = await CreateAsync(server, new Dictionary<string, string?>
        {
            ["NewsBot:Feeds:PollInterval"] = "00:00:50",
            ["NewsBot:Feeds:MinPollInterval"] = "00:00:40",
        });

        var process = await cluster.StartProcessAsync();

        var error = Assert.Throws<OptionsValidationException>(() => process.Services.GetRequiredService<IOptions<FeedsOptions>>().Value);

        Assert.Contains("NewsBot:Cluster:DeadAfter (00:00:30) must be at most half the shortest poll interval (00:00:50, from NewsBot:Feeds:PollInterval and MinPollInterval)", error.Message, StringComparison.Ordinal);
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
