using NewsBot.Benchmarks.Evaluation;

namespace NewsBot.Benchmarks.Crash;

/// <summary>
/// One crash proof: <see cref="Runs"/> fresh fan-outs of <see cref="Deliveries"/> each (100 channels × Deliveries/100
/// articles), each killed <see cref="KillsPerRun"/> times: once at a random moment of start-up, the others after a
/// random number of sends drawn from equal slices of the fan-out, so early, middle and late all get hit.
/// </summary>
public sealed record CrashSettings(int Deliveries, int Runs, int KillsPerRun, string HarnessPath)
{
    public const int Channels = 100;

    /// <summary>Where <c>dotnet build tests/NewsBot.CrashHarness -c Release</c> puts the harness, from the repository root.</summary>
    public const string ReleaseHarness = "tests/NewsBot.CrashHarness/bin/Release/net10.0/NewsBot.CrashHarness.dll";

    public int Articles => Deliveries / Channels;

    /// <summary><c>--deliveries N</c> (multiple of 100, default 10,000), <c>--runs R</c> (20), <c>--kills K</c> (5), <c>--harness DLL</c>.</summary>
    public static CrashSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new CrashSettings(
            BenchArguments.Int(args, "--deliveries", 10_000),
            BenchArguments.Int(args, "--runs", 20),
            BenchArguments.Int(args, "--kills", 5),
            Path.GetFullPath(BenchArguments.Text(args, "--harness") ?? ReleaseHarness));
        if (settings.Deliveries < Channels || settings.Deliveries % Channels != 0 || settings.Runs < 1 || settings.KillsPerRun < 1)
        {
            throw new ArgumentException($"--deliveries must be a positive multiple of {Channels}; --runs and --kills at least 1.");
        }

        return settings;
    }
}
