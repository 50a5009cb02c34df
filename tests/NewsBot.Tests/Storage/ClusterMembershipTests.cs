using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
        using var cluster = await CreateAsync(server);
        var first = await cluster.StartProcessAsync(new FixedHoldings("shards 1"));
        cluster.Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await cluster.StartProcessAsync(new FixedHoldings("shards 0, 2"), new FixedHoldings("telegram receiver"));

        var members = await Membership(first).ListLiveAsync(TestContext.Current.CancellationToken);

        Assert.Equal([Identity(first).Id, Identity(second).Id], members.Select(m => m.Id));
        Assert.Equal(["shards 1", "feeds: polling 0 sources on 0 hosts now, 0 polled since start"], members[0].Holds);
        Assert.Equal(["shards 0, 2", "telegram receiver", "feeds: polling 0 sources on 0 hosts now, 0 polled since start"], members[1].Holds);
        Assert.Equal(Identity(second).Host, members[1].Host);
        Assert.Equal(Identity(second).Version, members[1].Version);
        Assert.Equal(Identity(first).StartedAt, members[0].StartedAt);
        Assert.Equal(cluster.Clock.GetUtcNow(), members[1].HeartbeatAt);
    }

    [Fact]
    public async Task ListLive_ProcessStopsBeating_GoneAfterDeadAfter()
    {
        using var cluster = await CreateAsync(server);
        var silent = await cluster.StartProcessAsync();
        var beating = await cluster.StartProcessAsync();

        cluster.Clock.Advance(DeadAfter);
        await Heartbeat(beating).BeatAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, (await Membership(beating).ListLiveAsync(TestContext.Current.CancellationToken)).Count);

        cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        await Heartbeat(beating).BeatAsync(TestContext.Current.CancellationToken);
        var members = await Membership(beating).ListLiveAsync(TestContext.Current.CancellationToken);

        Assert.Equal([Identity(beating).Id], members.Select(m => m.Id));
        Assert.NotEqual(Identity(silent).Id, members[0].Id);
    }

    [Fact]
    public async Task Stop_CleanShutdown_RemovesItsRowAtOnce()
    {
        using var cluster = await CreateAsync(server);
        var leaving = await cluster.StartProcessAsync();
        var staying = await cluster.StartProcessAsync();

        await Heartbeat(leaving).StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal([Identity(staying).Id], (await Membership(staying).ListLiveAsync(TestContext.Current.CancellationToken)).Select(m => m.Id));
    }

    [Fact]
    public async Task Membership_ClusterOff_IsTheSoleProcess()
    {
        using var cluster = await CreateAsync(server, new Dictionary<string, string?> { ["NewsBot:Cluster:Enabled"] = "false" });
        var host = await cluster.StartProcessAsync();

        Assert.IsType<SoleProcessMembership>(host.Services.GetRequiredService<IClusterMembership>());
    }

    private static IClusterMembership Membership(IHost host) => Assert.IsType<PostgresClusterMembership>(host.Services.GetRequiredService<IClusterMembership>());
}
