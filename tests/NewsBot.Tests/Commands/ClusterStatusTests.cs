using NewsBot.Commands;
using NewsBot.Model;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;
using static NewsBot.Tests.TestSupport.ClusterProcesses;

namespace NewsBot.Tests.Commands;

/// <summary>/status in a cluster lists every live process of the bot with what it holds; alone it says nothing of processes.</summary>
public sealed class ClusterStatusTests(PostgresServer server)
{
    [Fact]
    public async Task Status_Cluster_ListsEveryProcessWithWhatItHolds()
    {
        await using var cluster = await CreateInFakeTimeAsync(server);
        var first = await cluster.JoinAsync(new FixedHoldings("shards 0, 2"));
        cluster.Clock.Advance(TimeSpan.FromMinutes(5));
        await first.Heartbeat.BeatAsync(TestContext.Current.CancellationToken);
        var second = await cluster.JoinAsync(new FixedHoldings("telegram receiver"));
        cluster.Clock.Advance(TimeSpan.FromSeconds(3));

        var text = ReplyText.Of(await StatusAsync(second));

        Assert.Contains("2 processes serve this bot:", text, StringComparison.Ordinal);
        Assert.Contains($"{first.Identity.Id} version {first.Identity.Version} · started 5 min ago · heartbeat 3 s ago · shards 0, 2; feeds: polling 0 sources on 0 hosts now, 0 polled since start", text, StringComparison.Ordinal);
        Assert.Contains($"{second.Identity.Id} (answering you) version {second.Identity.Version} · started 3 s ago · heartbeat 3 s ago · telegram receiver; feeds: polling", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ClusterOff_NoProcessesSection()
    {
        await using var cluster = await CreateInFakeTimeAsync(server, new Dictionary<string, string?> { ["NewsBot:Cluster:Enabled"] = "false" });
        var alone = await cluster.JoinAsync();

        var text = ReplyText.Of(await StatusAsync(alone));

        Assert.StartsWith("Status", text, StringComparison.Ordinal);
        Assert.DoesNotContain("process", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(alone.Identity.Id, text, StringComparison.Ordinal);
    }

    private static Task<CommandReply> StatusAsync(ClusterProcesses.Process host) =>
        host.Get<CommandRouter>().RouteAsync(
            new CommandRequest("status", new ChannelRef(Platform.Discord, "100"), "7", IsPlatformAdmin: false), TestContext.Current.CancellationToken);
}
