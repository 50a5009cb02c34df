using NewsBot.Benchmarks.Crash;
using NewsBot.Benchmarks.Load;

namespace NewsBot.Tests.Publishing;

/// <summary>
/// The short crash proof: a separate dispatching process killed ten times at random points of a 1,000-delivery
/// fan-out and restarted until nothing is pending. Every delivery must reach the platform and be marked sent; a key may
/// be sent twice only where a kill left it sent but uncommitted (the documented window). The full size is
/// scripts/proof-crash.sh; both drive the harness through <see cref="CrashDriver"/>.
/// </summary>
public sealed class CrashSafetyTests
{
    [Fact]
    public async Task Dispatch_KilledAtRandomPoints_SendsEveryDeliveryOnceExceptInTheWindow()
    {
        var settings = new CrashSettings(Deliveries: 1_000, Runs: 1, KillsPerRun: 10, Path.Combine(AppContext.BaseDirectory, "NewsBot.CrashHarness.dll"));
        var progress = new StringWriter();

        var report = await CrashDriver.RunAsync(settings, progress, TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine($"{progress}{LoadHarness.ToJson(report)}");
        Assert.Equal(10, report.Kills);
        // The kills must have hit a running fan-out, or this test proves nothing.
        Assert.InRange(report.KillsOnRunningHarness, 5, 10);
        Assert.Equal(1_000, report.DeliveriesExpected);
        Assert.Equal(1_000, report.DeliveriesSent);
        Assert.Equal(1_000, report.DeliveriesMarkedSent);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.UnknownKeys);
        Assert.Equal(report.Duplicates, report.DuplicatesInWindow);
        Assert.Equal(0, report.WindowKillsNotResent);
        Assert.True(report.Passed);
    }
}
