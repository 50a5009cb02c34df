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
        await using var cluster = await ClusterAsync();
        var first = await cluster.JoinAsync();
        var second = await cluster.JoinAsync();
        await AddSourcesAsync(first, feeds);

        var firstRound = await Task.WhenAll(PollAsync(first), PollAsync(second));

        Assert.Equal(6, firstRound.Sum());
        Assert.Equal(6, feeds.FeedRequests);
        Assert.Equal(1, feeds.MostAtOnceOnOneHost);
        Assert.All(await Sources(first).ListAsync(Ct), s => Assert.Equal(cluster.Clock.GetUtcNow(), s.LastPolledAt));

        // Past the longest interval a feed may ask for: every source is due again.
        cluster.Clock.Advance(TimeSpan.FromHours(7));
        await first.Heartbeat.BeatAsync(Ct);
        await second.Heartbeat.BeatAsync(Ct);
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
        await using var cluster = await ClusterAsync(("NewsBot:Feeds:PollInterval", interval.ToString("c")), ("NewsBot:Feeds:MinPollInterval", interval.ToString("c")));
        var killed = await cluster.JoinAsync();
        var survivor = await cluster.JoinAsync();
        await AddSourcesAsync(killed, feeds);
        Assert.Equal(6, (await Task.WhenAll(PollAsync(killed), PollAsync(survivor))).Sum());
        var polledAt = cluster.Clock.GetUtcNow();
        Assert.All(await Sources(survivor).ListAsync(Ct), s => Assert.Equal(polledAt + interval, s.NextPollAt));

        // Due again: the killed process claims the first host, then dies before fetching anything (no release, no beat).
        cluster.Clock.Advance(interval);
        await killed.Heartbeat.BeatAsync(Ct);
        await survivor.Heartbeat.BeatAsync(Ct);
        var now = cluster.Clock.GetUtcNow();
        var due = (await Sources(killed).ListDueAsync(now, 100, Ct)).Where(s => new Uri(s.Url).Host == HostNames[0]).ToList();
        Assert.Equal(3, (await Leases(killed).ClaimHostAsync(HostNames[0], due, killed.Identity.Id, now, now - DeadAfter, Ct))?.Count);
        var killedAt = now;

        // The survivor's loop: a round every second while a due host is held elsewhere, a heartbeat every second.
        var deadline = polledAt + (2 * interval);
        while (cluster.Clock.GetUtcNow() < deadline && feeds.FeedRequests < 12)
        {
            await PollAsync(survivor);
            cluster.Clock.Advance(HeartbeatInterval);
            await survivor.Heartbeat.BeatAsync(Ct);
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
        await using var cluster = await ClusterAsync(("NewsBot:Feeds:PollInterval", "00:00:07"), ("NewsBot:Feeds:MinPollInterval", "00:00:05"));

        var process = await cluster.JoinAsync();

        var error = Assert.Throws<OptionsValidationException>(() => process.Get<IOptions<FeedsOptions>>().Value);

        Assert.Contains("NewsBot:Cluster:DeadAfter (00:00:04) must be at most half the shortest poll interval (00:00:07, from NewsBot:Feeds:PollInterval and MinPollInterval)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollDue_HostReleasedAfterPolling_NextRoundMayBeAnyProcess()
    {
        await using var feeds = await FakeFeedServer.StartAsync(new FakeFeedOptions { FeedCount = 6 }, Ct);
        await using var cluster = await ClusterAsync();
        var first = await cluster.JoinAsync();
        var second = await cluster.JoinAsync();
        await AddSourcesAsync(first, feeds);

        Assert.Equal(6, await PollAsync(first));
        cluster.Clock.Advance(TimeSpan.FromHours(7));
        await first.Heartbeat.BeatAsync(Ct);
        await second.Heartbeat.BeatAsync(Ct);

        // The first process released its hosts when it was done: they do not stay with it while it lives.
        Assert.Equal(6, await PollAsync(second));
    }

    [Fact]
    public async Task ClaimHost_SourcesPolledMeanwhile_NothingToPollButTheHostTakenUntilReleased()
    {
        await using var feeds = await FakeFeedServer.StartAsync(new FakeFeedOptions { FeedCount = 2 }, Ct);
        await using var cluster = await ClusterAsync();
        var late = await cluster.JoinAsync();
        var other = await cluster.JoinAsync();
        await AddSourcesAsync(late, feeds);
        var now = cluster.Clock.GetUtcNow();
        var listed = await Sources(late).ListDueAsync(now, 100, Ct);
        Assert.Equal(2, await PollAsync(other));

        var claimed = await Leases(late).ClaimHostAsync(HostNames[0], listed, late.Identity.Id, now, now - DeadAfter, Ct);

        // Empty, not null: the host is taken, so the caller must release it, or nobody else could poll it while it lives.
        Assert.NotNull(claimed);
        Assert.Empty(claimed);
        Assert.Null(await Leases(other).ClaimHostAsync(HostNames[0], listed, other.Identity.Id, now, now - DeadAfter, Ct));
        await Leases(late).ReleaseHostAsync(HostNames[0], late.Identity.Id, Ct);
        Assert.NotNull(await Leases(other).ClaimHostAsync(HostNames[0], listed, other.Identity.Id, now, now - DeadAfter, Ct));
    }

    /// <summary>Processes in fake time that may poll the loopback feed server.</summary>
    private Task<ClusterProcesses> ClusterAsync(params (string Key, string Value)[] settings) =>
        CreateInFakeTimeAsync(server, settings.Append((Key: "NewsBot:Feeds:AllowPrivateAddresses", Value: "true")).ToDictionary(s => s.Key, s => (string?)s.Value));

    private static async Task AddSourcesAsync(ClusterProcesses.Process host, FakeFeedServer feeds)
    {
        for (var feed = 0; feed < feeds.FeedCount; feed++)
        {
            await Sources(host).AddAsync(feeds.FeedUrl(feed, HostNames[feed * HostNames.Length / feeds.FeedCount]), $"feed {feed}", FullTextMode.Never, fromConfig: false, SourceKind.Feed, Ct);
        }
    }

    private static Task<int> PollAsync(ClusterProcesses.Process host) => host.Get<FeedPollingService>().PollDueAsync(Ct);

    private static IPollLeaseStore Leases(ClusterProcesses.Process process) => process.Get<IPollLeaseStore>();

    private static ISourceStore Sources(ClusterProcesses.Process host) => host.Get<ISourceStore>();
}
