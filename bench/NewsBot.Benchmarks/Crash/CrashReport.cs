namespace NewsBot.Benchmarks.Crash;

/// <summary>
/// The figures of a crash proof. It passes when nothing is lost (every planned delivery is in the sent log and
/// marked sent in the deliveries table) and every extra send of a key is explained by a kill that left exactly that
/// key sent but still pending in the table (the window between the platform's answer and the commit).
/// </summary>
public sealed record CrashReport(
    int Runs,
    int Kills,
    int KillsOnRunningHarness,
    int KillsBeforeAnySend,
    int KillsInWindow,
    long DeliveriesExpected,
    long DeliveriesSent,
    long DeliveriesMarkedSent,
    long Lost,
    long UnknownKeys,
    int Duplicates,
    int DuplicatesInWindow,
    int DuplicatesOutsideWindow,
    int WindowKillsNotResent,
    double WallSeconds,
    bool Passed)
{
    public static CrashReport From(CrashSettings settings, IReadOnlyList<CrashRun> runs, TimeSpan elapsed)
    {
        var kills = runs.SelectMany(r => r.Kills).ToList();
        var duplicates = runs.Sum(r => r.Duplicates.Count);
        var inWindow = runs.Sum(r => r.Duplicates.Count(d => d.Value == 1 + r.WindowHits(d.Key)));
        var notResent = runs.Sum(r => r.Kills.Count(k => k.WindowKey is { } key && !r.Duplicates.ContainsKey(key)));
        var expected = runs.Sum(r => (long)r.Expected);
        var lost = runs.Sum(r => (long)r.Lost);
        var unknown = runs.Sum(r => (long)r.UnknownKeys);
        var markedSent = runs.Sum(r => (long)r.MarkedSent);
        return new CrashReport(
            settings.Runs,
            kills.Count,
            kills.Count(k => k.Landed),
            kills.Count(k => k.Landed && k.Appended == 0),
            kills.Count(k => k.WindowKey is not null),
            expected,
            runs.Sum(r => (long)r.SentKeys),
            markedSent,
            lost,
            unknown,
            duplicates,
            inWindow,
            duplicates - inWindow,
            notResent,
            Math.Round(elapsed.TotalSeconds, 1),
            Passed: expected == settings.Runs * (long)settings.Deliveries && lost == 0 && unknown == 0 && markedSent == expected && inWindow == duplicates && notResent == 0);
    }
}

/// <summary>One fan-out: what was planned, what reached the log (distinct keys) and the table, and each kill.</summary>
public sealed record CrashRun(int Expected, int SentKeys, int MarkedSent, int Lost, int UnknownKeys, IReadOnlyDictionary<string, int> Duplicates, IReadOnlyList<Kill> Kills, TimeSpan Elapsed)
{
    public int WindowHits(string key) => Kills.Count(k => k.WindowKey == key);
}

/// <summary>One kill: whether the harness was still running, how many keys it appended, and the key it left in the window.</summary>
public sealed record Kill(bool Landed, int Appended, string? WindowKey);
