using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace NewsBot.Benchmarks.Crash;

/// <summary>
/// Kills the crash harness (tests/NewsBot.CrashHarness) with SIGKILL at random points of a fan-out, restarts it until a
/// run finishes with nothing pending, then checks the sent log and the deliveries table: every delivery sent, and a
/// key sent twice only when a kill fell between the platform's answer and the commit (the documented window).
/// Used by the <c>crash</c> bench verb (scripts/proof-crash.sh) and the short crash test.
/// </summary>
public static class CrashDriver
{
    /// <summary>The longest start-up kill delay; the harness is ready after about 300 ms on a busy 2-core machine.</summary>
    private static readonly TimeSpan StartUpSpread = TimeSpan.FromMilliseconds(400);

    /// <summary>Spread after the chosen send, longer than one send's cycle, so the kill lands anywhere in it.</summary>
    private static readonly TimeSpan SendPhaseSpread = TimeSpan.FromMilliseconds(1);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    public static async Task<CrashReport> RunAsync(CrashSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var random = new Random();
        var runs = new List<CrashRun>();
        for (var i = 1; i <= settings.Runs; i++)
        {
            var run = await RunOnceAsync(settings, random, cancellationToken);
            runs.Add(run);
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"run {i}/{settings.Runs}: {run.Kills.Count} kills ({run.Kills.Count(k => k.WindowKey is not null)} in the window), {run.SentKeys} of {run.Expected} sent, {run.Duplicates.Count} twice, {run.Elapsed.TotalSeconds:F1} s"));
        }

        return CrashReport.From(settings, runs, wall.Elapsed);
    }

    private static async Task<CrashRun> RunOnceAsync(CrashSettings settings, Random random, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var folder = Directory.CreateTempSubdirectory("newsbot-crash-");
        try
        {
            var database = Path.Combine(folder.FullName, "crash.db");
            var sentLog = Path.Combine(folder.FullName, "sent.log");
            await File.WriteAllTextAsync(sentLog, "", cancellationToken);
            var seeded = int.Parse(await RunToEndAsync(settings, ["seed", database, $"{CrashSettings.Channels}", $"{settings.Articles}"], cancellationToken), CultureInfo.InvariantCulture);
            string[] run = ["run", database, sentLog, "0"];
            var kills = new List<Kill>();
            foreach (var point in KillPlan(settings, random))
            {
                var before = await File.ReadAllLinesAsync(sentLog, cancellationToken);
                var landed = await RunAndKillAsync(settings, run, point, before.Length, random, cancellationToken);
                var appended = (await File.ReadAllLinesAsync(sentLog, cancellationToken))[before.Length..];
                // The last key this process handed to the platform is in the window if its row is still pending.
                var inWindow = appended is [.., var last] && await IsPendingAsync(database, last, cancellationToken);
                kills.Add(new Kill(landed, appended.Length, inWindow ? appended[^1] : null));
            }

            var final = await RunToEndAsync(settings, run, cancellationToken);
            if (!final.Contains("done", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The last harness run did not finish: {final}");
            }

            var keys = await File.ReadAllLinesAsync(sentLog, cancellationToken);
            var counts = keys.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
            var rows = await ReadDeliveriesAsync(database, cancellationToken);
            return new CrashRun(
                seeded,
                counts.Count,
                rows.Count(r => r.Value == "sent"),
                rows.Count(r => r.Value != "sent" || !counts.ContainsKey(r.Key)),
                counts.Keys.Count(k => !rows.ContainsKey(k)),
                counts.Where(c => c.Value > 1).ToDictionary(c => c.Key, c => c.Value),
                kills,
                Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>One kill during start-up, the others after a number of sends drawn from equal slices of the fan-out.</summary>
    private static List<KillPoint> KillPlan(CrashSettings settings, Random random)
    {
        var slices = settings.KillsPerRun - 1;
        var plan = Enumerable.Range(0, slices)
            .Select(i => new KillPoint(AfterSends: (settings.Deliveries * i / slices) + random.Next(settings.Deliveries / slices), StartUpDelay: null))
            .ToList();
        plan.Insert(random.Next(plan.Count + 1), new KillPoint(AfterSends: null, StartUpDelay: StartUpSpread * random.NextDouble()));
        return plan;
    }

    /// <summary>Starts the harness and kills it at <paramref name="point"/>. Returns whether the kill found it still running.</summary>
    private static async Task<bool> RunAndKillAsync(CrashSettings settings, string[] args, KillPoint point, int sentBefore, Random random, CancellationToken cancellationToken)
    {
        using var process = Start(settings, args);
        if (point.StartUpDelay is { } delay)
        {
            await Task.Delay(delay, cancellationToken);
        }
        else
        {
            // "ready" and each "sent" line move the count on; a process that finishes first just ends the loop.
            var sent = sentBefore - 1;
            while (sent < point.AfterSends && await process.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(Patience, cancellationToken) is { } line)
            {
                sent += line is "ready" or "sent" ? 1 : 0;
            }

            SpinFor(SendPhaseSpread * random.NextDouble());
        }

        var running = !process.HasExited;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(Patience, cancellationToken);
        return running;
    }

    /// <summary>Busy-waits: a timer's millisecond granularity would line every kill up with the same phase of a send.</summary>
    private static void SpinFor(TimeSpan duration)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(10);
        }
    }

    private static async Task<string> RunToEndAsync(CrashSettings settings, string[] args, CancellationToken cancellationToken)
    {
        using var process = Start(settings, args);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(Patience, cancellationToken);
        return process.ExitCode == 0
            ? (await output).Trim()
            : throw new InvalidOperationException($"The crash harness '{string.Join(' ', args)}' exited with {process.ExitCode}: {await output}");
    }

    private static Process Start(CrashSettings settings, string[] args)
    {
        // Standard error is left alone: it reaches the caller's console and can never fill a pipe nobody reads.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(settings.HarnessPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start the crash harness {settings.HarnessPath}.");
    }

    private static async Task<bool> IsPendingAsync(string database, string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT status FROM deliveries WHERE id = $id";
        command.Parameters.AddWithValue("$id", long.Parse(key.AsSpan(2), CultureInfo.InvariantCulture));
        return await command.ExecuteScalarAsync(cancellationToken) is "pending";
    }

    /// <summary>Every delivery's status by the key the harness logs for it (the delivery's nonce, "nb" + id).</summary>
    private static async Task<Dictionary<string, string>> ReadDeliveriesAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, status FROM deliveries";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new Dictionary<string, string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows[string.Create(CultureInfo.InvariantCulture, $"nb{reader.GetInt64(0)}")] = reader.GetString(1);
        }

        return rows;
    }

    private static async Task<SqliteConnection> OpenAsync(string database, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private sealed record KillPoint(int? AfterSends, TimeSpan? StartUpDelay);
}
