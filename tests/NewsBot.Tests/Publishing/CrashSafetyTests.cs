using System.Diagnostics;
using Microsoft.Data.Sqlite;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Publishing;

/// <summary>
/// Kills a separate dispatching process at random points of a 1,000-delivery fan-out and restarts it: every delivery
/// must reach the platform, and a key may appear twice only for a kill that fell between the platform's answer and
/// the commit of the delivery's state (the documented window; one send at a time, so at most one per kill).
/// </summary>
public sealed class CrashSafetyTests
{
    private const int Channels = 100;
    private const int Articles = 10;
    private const int Kills = 10;

    // A platform round trip of a few milliseconds keeps the fan-out running long enough (about 3 s) for ten kills.
    private const string LatencyMs = "3";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Dispatch_KilledAtRandomPoints_SendsEveryDeliveryOnceExceptInTheWindow()
    {
        using var folder = new TempFolder();
        var database = folder.File("crash.db");
        var sentFile = folder.File("sent.log");
        var random = new Random();
        Assert.Equal($"{Channels * Articles}", (await RunToEndAsync("seed", database, $"{Channels}", $"{Articles}")).Trim());

        for (var kill = 0; kill < Kills; kill++)
        {
            // 0 kills it while it starts; otherwise after that many accepted posts, mid-way through whatever comes next.
            await RunAndKillAsync(random.Next(0, 60), "run", database, sentFile, LatencyMs);
        }

        // The kills must have interrupted the fan-out, or this test proves nothing.
        var beforeLast = (await File.ReadAllLinesAsync(sentFile, TestContext.Current.CancellationToken)).Distinct().Count();
        Assert.InRange(beforeLast, 1, (Channels * Articles) - 1);
        var last = await RunToEndAsync("run", database, sentFile, LatencyMs);

        Assert.Contains("done", last, StringComparison.Ordinal);
        var keys = await File.ReadAllLinesAsync(sentFile, TestContext.Current.CancellationToken);
        var counts = keys.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Channels * Articles, counts.Count);
        Assert.All(counts.Keys, key => Assert.Matches("^nb[0-9]+$", key));
        Assert.All(counts.Values, count => Assert.InRange(count, 1, 2));
        var duplicates = counts.Values.Count(c => c == 2);
        TestContext.Current.TestOutputHelper?.WriteLine($"{Kills} kills; {beforeLast} of {counts.Count} sent before the last run; {duplicates} sent twice (the window)");
        Assert.InRange(duplicates, 0, Kills);
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM deliveries WHERE status = 'sent'";
        Assert.Equal((long)(Channels * Articles), (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
    }

    private static async Task<string> RunToEndAsync(params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"harness {string.Join(' ', args)} exited with {process.ExitCode}: {await errors}");
        return await output;
    }

    private static async Task RunAndKillAsync(int afterPosts, params string[] args)
    {
        using var process = Start(args);
        var posts = -1;
        while (posts < afterPosts && await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Patience, TestContext.Current.CancellationToken) is { } line)
        {
            posts += line is "ready" or "sent" ? 1 : 0;
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);
    }

    private static Process Start(string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NewsBot.CrashHarness.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the crash harness.");
    }
}
