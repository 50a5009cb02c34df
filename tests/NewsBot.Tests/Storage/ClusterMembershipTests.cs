using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Runtime;
using NewsBot.Storage;
using NewsBot.Storage.Postgres;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>
/// Cluster membership on PostgreSQL: processes of one bot (each its own host over one database) heartbeat, see each
/// other, and see one that stopped beating drop out after NewsBot:Cluster:DeadAfter.
/// </summary>
public sealed class ClusterMembershipTests(PostgresServer server) : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 7, 0, 0, TimeSpan.Zero));
    private readonly List<IHost> _hosts = [];

    private sealed class Holding(params string[] items) : IClusterHoldings
    {
        public IEnumerable<string> Describe() => items;
    }

    [Fact]
    public async Task ListLive_TwoProcessesBeating_BothWithWhatTheyHold()
    {
        var settings = await ClusterSettingsAsync();
        var first = await StartProcessAsync(settings, new Holding("sources: 3 leased"));
        _clock.Advance(TimeSpan.FromSeconds(5));
        var second = await StartProcessAsync(settings, new Holding("shards 0, 2"), new Holding("telegram receiver"));

        var members = await Membership(first).ListLiveAsync(TestContext.Current.CancellationToken);

        Assert.Equal([Identity(first).Id, Identity(second).Id], members.Select(m => m.Id));
        Assert.Equal(["sources: 3 leased"], members[0].Holds);
        Assert.Equal(["shards 0, 2", "telegram receiver"], members[1].Holds);
        Assert.Equal(Identity(second).Host, members[1].Host);
        Assert.Equal(Identity(second).Version, members[1].Version);
        Assert.Equal(Identity(first).StartedAt, members[0].StartedAt);
        Assert.Equal(_clock.GetUtcNow(), members[1].HeartbeatAt);
    }

    [Fact]
    public async Task ListLive_ProcessStopsBeating_DeadAfterDeadAfter()
    {
        var settings = await ClusterSettingsAsync();
        var silent = await StartProcessAsync(settings);
        var beating = await StartProcessAsync(settings);

        _clock.Advance(TimeSpan.FromSeconds(30));
        await Heartbeat(beating).BeatAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, (await Membership(beating).ListLiveAsync(TestContext.Current.CancellationToken)).Count);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await Heartbeat(beating).BeatAsync(TestContext.Current.CancellationToken);
        var members = await Membership(beating).ListLiveAsync(TestContext.Current.CancellationToken);

        Assert.Equal([Identity(beating).Id], members.Select(m => m.Id));
        Assert.NotEqual(Identity(silent).Id, members[0].Id);
    }

    [Fact]
    public async Task Stop_CleanShutdown_RemovesItsRowAtOnce()
    {
        var settings = await ClusterSettingsAsync();
        var leaving = await StartProcessAsync(settings);
        var staying = await StartProcessAsync(settings);

        await Heartbeat(leaving).StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal([Identity(staying).Id], (await Membership(staying).ListLiveAsync(TestContext.Current.CancellationToken)).Select(m => m.Id));
    }

    [Fact]
    public async Task Membership_ClusterOff_IsTheSoleProcess()
    {
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        var host = Build(settings);

        Assert.IsType<SoleProcessMembership>(host.Services.GetRequiredService<IClusterMembership>());
    }

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        _folder.Dispose();
    }

    private async Task<Dictionary<string, string?>> ClusterSettingsAsync() =>
        await StorageEngines.SettingsAsync(StorageEngines.Postgres, server, new Dictionary<string, string?>
        {
            ["NewsBot:Cluster:Enabled"] = "true",
            ["NewsBot:Cluster:HeartbeatInterval"] = "00:00:10",
            ["NewsBot:Cluster:DeadAfter"] = "00:00:30",
        });

    /// <summary>
    /// A process of the bot, not started: it writes the first beat, as at start-up, and beats again only when the test
    /// says so, so one that is not told to is a process killed without a clean stop.
    /// </summary>
    private async Task<IHost> StartProcessAsync(Dictionary<string, string?> settings, params IClusterHoldings[] holdings)
    {
        var host = Build(settings, holdings);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        await Heartbeat(host).BeatAsync(TestContext.Current.CancellationToken);
        return host;
    }

    private IHost Build(Dictionary<string, string?> settings, params IClusterHoldings[] holdings)
    {
        var host = TestHosts.Build(_folder, settings, configure: b =>
        {
            b.Services.AddSingleton<TimeProvider>(_clock);
            foreach (var holding in holdings)
            {
                b.Services.AddSingleton(holding);
            }
        });
        _hosts.Add(host);
        return host;
    }

    private static ClusterHeartbeatService Heartbeat(IHost host) => host.Services.GetServices<IHostedService>().OfType<ClusterHeartbeatService>().Single();

    private static IClusterMembership Membership(IHost host)
    {
        var membership = host.Services.GetRequiredService<IClusterMembership>();
        Assert.IsType<PostgresClusterMembership>(membership);
        return membership;
    }

    private static ProcessIdentity Identity(IHost host) => host.Services.GetRequiredService<ProcessIdentity>();
}
