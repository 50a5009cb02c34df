using NewsBot.Benchmarks.Load;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Proof;

/// <summary>
/// Short fault runs against the real host: once the fault clears, every item reaches every channel once, and the file
/// is sound. Runs alone: the database-full fault lives in SQLite's connection pool, which is process-wide, and other tests
/// clearing the pool (when they delete their temp databases) would lift the fault early.
/// </summary>
[Collection(SerialFaults.Name)]
public sealed class FaultTests
{
    private static readonly TimeSpan FaultDuration = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task DatabaseLocked_DuringIngestAndDelivery_EverythingDeliveredOnce()
    {
        var report = await FaultRuns.DatabaseLockedAsync(FaultDuration, TestContext.Current.CancellationToken);

        AssertCompleteAndSound(report);
    }

    [Fact]
    public async Task DatabaseFull_DuringIngest_RetriedAndDeliveredAfterwards()
    {
        var report = await FaultRuns.DatabaseFullAsync(FaultDuration, TestContext.Current.CancellationToken);

        AssertCompleteAndSound(report);
        // The fault must really have bitten, or this test proves nothing.
        Assert.True(report.ErrorsLogged > 0, "no write failed while the database was full");
    }

    [Fact]
    public async Task PlatformFailsOneSendInTen_EverythingDeliveredOnce()
    {
        var report = await FaultRuns.FlakyPlatformAsync(FaultDuration, TestContext.Current.CancellationToken);

        AssertCompleteAndSound(report);
        Assert.True(report.PublishFaults > 0, "no send failed");
    }

    [Fact]
    public async Task PostgresRestart_DuringIngestAndDelivery_EverythingDeliveredOnce()
    {
        Assert.SkipUnless(PostgresServer.CanRestart, $"{PostgresServer.ConnectionVariable} names a server this test may not restart");
        // A server of its own: restarting the shared one would break the other tests' connections.
        await using var server = new PostgresServer();
        var connection = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);

        var report = await FaultRuns.PostgresRestartAsync(connection, token => server.RestartAsync(FaultDuration, token), TestContext.Current.CancellationToken);

        AssertCompleteAndSound(report, ProofHost.NotCheckedOnPostgres);
    }

    /// <summary>Every post arrived exactly once (none missing, none twice), nothing is left pending, the file is sound.</summary>
    private static void AssertCompleteAndSound(FaultReport report, string integrity = "ok")
    {
        Assert.True(report.ItemsAdded > 0);
        Assert.True(report.PostsReceived >= report.PostsExpected, $"{report.Fault}: {report.PostsReceived} of {report.PostsExpected} posts arrived");
        Assert.Equal(0, report.DuplicatePosts);
        Assert.Equal(report.PostsExpected, report.PostsReceived);
        Assert.Equal(0, report.PendingDeliveries);
        Assert.Equal(integrity, report.IntegrityCheck);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialFaults
{
    public const string Name = "Serial database faults";
}
