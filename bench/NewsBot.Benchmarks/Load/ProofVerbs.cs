namespace NewsBot.Benchmarks.Load;

/// <summary>
/// The proof verbs of the bench tool, each bounded and printing one JSON object of figures:
/// <c>load [--idle] [--sources N] [--minutes M] ...</c>, <c>faults</c>, <c>hostile</c>.
/// </summary>
public static class ProofVerbs
{
    public static bool Handles(string[] args) => args is ["load" or "faults" or "hostile", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        // Every verb is bounded on its own; this is the last resort so a run never exceeds ten minutes.
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var rest = args[1..];
        object report = args[0] switch
        {
            "load" when rest.Contains("--idle") => await LoadHarness.RunIdleAsync(limit.Token),
            "load" => await LoadHarness.RunAsync(LoadSettings.Parse(rest), Console.Error, limit.Token),
            "faults" => await FaultRuns.RunAllAsync(Console.Error, limit.Token),
            _ => await HostileRuns.RunAsync(Console.Error, limit.Token),
        };
        Console.WriteLine(LoadHarness.ToJson(report));
        return 0;
    }
}
