using NewsBot.Runtime;
using NewsBot.Storage.Postgres;
using NewsBot.Tests.TestSupport;
using static NewsBot.Tests.TestSupport.ClusterProcesses;

namespace NewsBot.Tests.Storage;

/// <summary>
/// Cluster membership on PostgreSQL: processes of one bot heartbeat, see each other, and see one that stopped beating
/// drop out after NewsBot:Cluster:DeadAfter.
/// </summary>
public sealed class ClusterMembershipTests(PostgresServer server)
{
    [Fact]
    public async Task ListLive_TwoProcessesBeating_BothWithWhatTheyHold()
    {
        await using var cluster = await CreateInFakeTimeAsync(server);
        var first = await cluster.JoinAsync(new FixedHoldings("shards 1"));
        cluster.Clock.Advance(TimeSpan.FromSeconds(3));
        var second = await cluster.JoinAsync(new FixedHoldings("shards 0, 2"), new FixedHoldings("telegram receiver"));

        var members = await Membership(first).ListLiveAsync(TestContext.Current.CancellationToken);

        Assert.Equal([first.Identity.Id, second.Identity.Id], members.Select(m => m.Id));
        Assert.Equal(["shards 1", "feeds: polling 0 sources on 0 hosts now, 0 polled since start"], members[0].Holds);
        Assert.Equal(["shards 0, 2", "telegram receiver", "feeds: polling 0 sources on 0 hosts now, 0 polled since start"], members[1].Holds);
        Assert.Equal(second.Identity.Host, members[1].Host);
        Assert.Equal(second.Identity.Version, members[1].Version);
        Assert.Equal(first.Identity.StartedAt, members[0].StartedAt);
        Assert.Equal(cluster.Clock.GetUtcNow(), members[1].HeartbeatAt);
    }

    [Fact]
    public async Task ListLive_ProcessStopsBeating_GoneAfterDeadAfter()
    {
        await using var cluster = await CreateInFakeTimeAsync(server);
        var silent = await cluster.JoinAsync();
        var beating = await cluster.JoinAsync();

        cluster.Clock.Advance(DeadAfter);
        await beating.Heartbeat.BeatAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, (await Membership(beating).ListLiveAsync(TestContext.Current.CancellationToken)).Count);

        cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        await beating.Heartbeat.BeatAsync(TestContext.Current.CancellationToken);
        var members = await Membership(beating).ListLiveAsync(TestContext.Current.CancellationToken);

        Assert.Equal([beating.Identity.Id], members.Select(m => m.Id));
        Assert.NotEqual(silent.Identity.Id, members[0].Id);
    }

    [Fact]
    public async Task Stop_CleanShutdown_RemovesItsRowAtOnce()
    {
        await using var cluster = await CreateInFakeTimeAsync(server);
        var leaving = await cluster.JoinAsync();
        var staying = await cluster.JoinAsync();

        await leaving.Heartbeat.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal([staying.Identity.Id], (await Membership(staying).ListLiveAsync(TestContext.Current.CancellationToken)).Select(m => m.Id));
    }

    [Fact]
    public async Task Membership_ClusterOff_IsTheSoleProcess()
    {
        await using var cluster = await CreateInFakeTimeAsync(server, new Dictionary<string, string?> { ["NewsBot:Cluster:Enabled"] = "false" });
        var host = await cluster.JoinAsync();

        Assert.IsType<SoleProcessMembership>(host.Get<IClusterMembership>());
    }

    private static IClusterMembership Membership(ClusterProcesses.Process host) => Assert.IsType<PostgresClusterMembership>(host.Get<IClusterMembership>());
}
