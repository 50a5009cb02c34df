using System.Diagnostics;
using System.Globalization;

namespace NewsBot.Benchmarks.Load;

/// <summary>This process's memory and CPU, as the kernel counts them (Linux /proc/self/status; elsewhere the Process API).</summary>
public static class ProcessStats
{
    /// <summary>Resident set size now, in MB.</summary>
    public static double RssMegabytes() => StatusKilobytes("VmRSS:") is { } kb ? kb / 1024.0 : Current().WorkingSet64 / 1048576.0;

    /// <summary>Peak resident set size since the process started ("high water mark"), in MB.</summary>
    public static double PeakRssMegabytes() => StatusKilobytes("VmHWM:") is { } kb ? kb / 1024.0 : Current().PeakWorkingSet64 / 1048576.0;

    /// <summary>RSS split into what the garbage collector holds and the rest (native: SQLite, sockets, JIT code, stacks).</summary>
    public static string Memory()
    {
        var rss = RssMegabytes();
        var managed = GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0;
        return string.Create(CultureInfo.InvariantCulture, $"RSS {rss:F0} MB (GC committed {managed:F0} MB, other {rss - managed:F0} MB)");
    }

    public static TimeSpan CpuTime() => Current().TotalProcessorTime;

    /// <summary>The machine's 1, 5 and 15 minute load averages: other work on a shared machine skews every figure.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static Process Current()
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        return process;
    }

    private static long? StatusKilobytes(string field)
    {
        const string Status = "/proc/self/status";
        if (!File.Exists(Status))
        {
            return null;
        }

        var line = File.ReadLines(Status).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        var number = line?[field.Length..].Trim().Split(' ')[0];
        return long.TryParse(number, CultureInfo.InvariantCulture, out var kb) ? kb : null;
    }
}
