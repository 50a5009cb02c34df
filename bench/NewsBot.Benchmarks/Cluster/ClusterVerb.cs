using NewsBot.Benchmarks.Load;

namespace NewsBot.Benchmarks.Cluster;

/// <summary>
/// <c>cluster [--processes N] [--sources S] [--channels C] [--minutes M] [--kill-every K] [--restart-after R] …</c>: the
/// cluster proof (<see cref="ClusterRun"/>); <c>cluster --throughput [--sources S] [--poll-interval 8] [--window W] [--backlog B]</c>:
/// 1 vs 2 pinned processes (<see cref="ClusterThroughput"/>). Progress on standard error; the figures as JSON, then a
/// PASS/FAIL line, on standard output; exit code 1 on FAIL (scripts/proof-cluster.sh).
/// </summary>
public static class ClusterVerb
{
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await RunAsync(ClusterSettings.Parse(args));
        }
        catch (UnexpectedExitException exit)
        {
            Console.WriteLine("FAIL: " + exit.Message);
            return 1;
        }
    }

    private static async Task<int> RunAsync(ClusterSettings settings)
    {
        // Bounded: the run, a first pass and the drain, plus set-up; past that it stops with an error.
        using var limit = new CancellationTokenSource(settings.Duration + (settings.PollInterval * 2) + settings.Drain + TimeSpan.FromMinutes(settings.Throughput ? 20 : 15));
        if (settings.Throughput)
        {
            var throughput = await ClusterThroughput.RunAsync(settings, Console.Error, limit.Token);
            Console.WriteLine(LoadHarness.ToJson(throughput));
            Console.WriteLine(throughput.Verdict);
            return throughput.Problems.Count == 0 ? 0 : 1;
        }

        var report = await ClusterRun.RunAsync(settings, Console.Error, limit.Token);
        Console.WriteLine(LoadHarness.ToJson(report));
        Console.WriteLine(report.Summary());
        Console.WriteLine(report.Verdict);
        return report.Problems.Count == 0 ? 0 : 1;
    }
}
