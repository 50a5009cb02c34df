using System.Globalization;
using NewsBot.Benchmarks.Evaluation;
using NewsBot.Benchmarks.FanOut;
using NewsBot.Benchmarks.Load;
using NewsBot.Fakes.Discord;
using NewsBot.Model;

namespace NewsBot.Benchmarks.Gateway;

/// <summary>
/// <c>gateway [--minutes M] [--drop-every S]</c>: the real host with the real Discord adapter against the fake Discord
/// while <see cref="GatewayFlapDriver"/> flaps its Gateway. Prints the report as JSON, then a PASS/FAIL line;
/// the exit code is 0 only on PASS.
/// </summary>
public static class GatewayProof
{
    /// <summary>Discord's own heartbeat interval, so the run does not also test zombie detection on a busy machine.</summary>
    private const int HeartbeatIntervalMs = 41_250;

    private const int Channels = 3;

    public static async Task<int> RunAsync(string[] args, TextWriter progress, CancellationToken cancellationToken)
    {
        var settings = new GatewayFlapSettings
        {
            Duration = TimeSpan.FromMinutes(BenchArguments.Real(args, "--minutes", 10)),
            DropEvery = TimeSpan.FromSeconds(BenchArguments.Real(args, "--drop-every", 30)),
        };
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = HeartbeatIntervalMs }, cancellationToken);
        await using var host = ProofHost.Build(new Dictionary<string, string?>
        {
            ["NewsBot:Discord:Token"] = fake.Options.Token,
            ["NewsBot:Discord:ApiBaseUrl"] = fake.ApiBaseUrl,
        });
        await host.Host.StartAsync(cancellationToken);
        var outbox = new ProofOutbox(host.Services);
        await outbox.AddChannelsAsync(Platform.Discord, Enumerable.Range(0, Channels).Select(i => (GatewayFlapDriver.ChannelId + (ulong)i).ToString(CultureInfo.InvariantCulture)), cancellationToken);
        progress.WriteLine($"Flapping the Gateway every {settings.DropEvery.TotalSeconds} s for {settings.Duration.TotalMinutes} min; faults in turn: {string.Join(", ", Enum.GetNames<GatewayFault>())}");

        var report = await new GatewayFlapDriver(fake, settings).RunAsync(token => outbox.PublishAsync(1, token), progress, cancellationToken);
        Console.WriteLine(LoadHarness.ToJson(report));
        Console.WriteLine(report.Verdict);
        return report.Problems.Count == 0 ? 0 : 1;
    }

}
