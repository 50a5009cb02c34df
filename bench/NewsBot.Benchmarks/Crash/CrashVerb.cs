using NewsBot.Benchmarks.Load;

namespace NewsBot.Benchmarks.Crash;

/// <summary>
/// <c>crash [--deliveries N] [--runs R] [--kills K] [--harness DLL]</c>: the crash proof (scripts/proof-crash.sh).
/// Progress per run on standard error, the figures as JSON on standard output; exit code 1 when the proof fails.
/// </summary>
public static class CrashVerb
{
    public static async Task<int> RunAsync(string[] args)
    {
        var settings = CrashSettings.Parse(args);
        if (!File.Exists(settings.HarnessPath))
        {
            await Console.Error.WriteLineAsync($"Crash harness not found at {settings.HarnessPath}: run `dotnet build tests/NewsBot.CrashHarness -c Release` or pass --harness.");
            return 2;
        }

        // The proof must stay bounded on a shared 2-core machine: past ten minutes it stops with an error.
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var report = await CrashDriver.RunAsync(settings, Console.Error, limit.Token);
        Console.WriteLine(LoadHarness.ToJson(report));
        return report.Passed ? 0 : 1;
    }
}
