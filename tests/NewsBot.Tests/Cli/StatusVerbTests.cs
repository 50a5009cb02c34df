using System.Text.Json;
using NewsBot.Cli;
using NewsBot.Tests.TestSupport;
using static NewsBot.Tests.TestSupport.ClusterProcesses;

namespace NewsBot.Tests.Cli;

/// <summary><c>newsbot status</c>: the running processes and what each holds, one JSON line each; on SQLite, a sentence.</summary>
public sealed class StatusVerbTests(PostgresServer server)
{
    [Fact]
    public async Task Status_Cluster_OneLinePerLiveProcessWithItsHoldings()
    {
        await using var cluster = await CreateInFakeTimeAsync(server);
        var first = await cluster.JoinAsync(new FixedHoldings("shards 0, 2"));
        var dead = await cluster.JoinAsync();
        cluster.Clock.Advance(DeadAfter + TimeSpan.FromSeconds(1));
        var second = await cluster.JoinAsync(new FixedHoldings("telegram receiver"));
        await first.Heartbeat.BeatAsync(TestContext.Current.CancellationToken);

        using var output = new StringWriter();
        var exit = await CliRunner.RunAsync(cluster.CommandLine(), ["status"], output, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([first.Identity.Id, second.Identity.Id], lines.Select(l => l.GetProperty("id").GetString()));
        Assert.DoesNotContain(dead.Identity.Id, output.ToString(), StringComparison.Ordinal);
        Assert.Equal(["shards 0, 2", "feeds: polling 0 sources on 0 hosts now, 0 polled since start"], lines[0].GetProperty("holds").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal("telegram receiver", lines[1].GetProperty("holds")[0].GetString());
        Assert.Equal(second.Identity.Host, lines[1].GetProperty("host").GetString());
        Assert.Equal(cluster.Clock.GetUtcNow(), lines[1].GetProperty("heartbeat").GetDateTimeOffset());
    }

    [Fact]
    public async Task Status_Sqlite_SaysItIsOneProcess()
    {
        using var folder = new TempFolder();
        using var host = TestHosts.Build(folder, new Dictionary<string, string?>(), configure: b => b.Services.AddCli());
        using var output = new StringWriter();

        var exit = await CliRunner.RunAsync(host, ["status"], output, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Equal("The bot runs as one process on SQLite and records no processes; newsbot sources lists its sources.", output.ToString().TrimEnd());
    }
}
