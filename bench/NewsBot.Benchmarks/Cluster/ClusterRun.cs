using System.Diagnostics;
using System.Globalization;

namespace NewsBot.Benchmarks.Cluster;

/// <summary>
/// One bounded cluster proof: PostgreSQL, the fakes and N <c>newsbot</c> processes (<see cref="ClusterEnvironment"/>,
/// <see cref="NewsBotProcesses"/>); once every source was polled, <see cref="ClusterTraffic"/> for M minutes while a
/// process is SIGKILLed every K seconds and restarted R seconds later; then a drain with every process up, and the
/// <see cref="ClusterReport"/> from what the fakes saw.
/// </summary>
public static class ClusterRun
{
    private static readonly TimeSpan FirstPassLimit = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(15);

    public static async Task<ClusterReport> RunAsync(ClusterSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        await using var environment = await ClusterEnvironment.StartAsync(settings, unlimitedPlatforms: false, cancellationToken);
        await environment.SeedAsync(progress, cancellationToken);
        var logs = LogFolder(settings);
        var traffic = new ClusterTraffic(environment, settings);
        using var sampling = new CancellationTokenSource();
        var sampler = traffic.SampleShardsAsync(sampling.Token);
        await using var processes = new NewsBotProcesses(settings.Processes, settings.NewsBotPath, environment.WorkingFolder, logs, slot => environment.ProcessEnvironment(slot, unlimitedPlatforms: false));
        processes.StartAll();
        await progress.WriteLineAsync($"{settings.Processes} processes started (logs in {logs}); waiting for the first poll of every source");
        return await processes.WatchAsync(async token =>
        {
            var firstPass = Stopwatch.StartNew();
            await WaitUntilAsync(async () => await environment.CountPolledSourcesAsync(token) >= settings.Sources, FirstPassLimit, "the first poll of every source", progress,
                () => Status(environment, processes), token);
            firstPass.Stop();
            await progress.WriteLineAsync($"First pass: {firstPass.Elapsed.TotalSeconds:F0} s. Running {settings.Minutes} min: a SIGKILL every {settings.KillEvery.TotalSeconds:F0} s, restart after {settings.RestartAfter.TotalSeconds:F0} s");

            var runStart = TimeProvider.System.GetUtcNow();
            using (var stopTraffic = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                var load = traffic.RunAsync(stopTraffic.Token);
                var status = ReportEveryAsync(progress, () => Status(environment, processes), stopTraffic.Token);
                await processes.RunKillScheduleAsync(settings.KillEvery, settings.RestartAfter, settings.Duration, progress, token);
                await stopTraffic.CancelAsync();
                await Task.WhenAll(load, status);
            }

            var runEnd = TimeProvider.System.GetUtcNow();
            await processes.WaitForRestartsAsync();
            // Items added at the very end need up to one poll interval to be seen (two if their poller just died), then sending.
            var drainLimit = (settings.PollInterval * 2) + settings.Drain;
            await progress.WriteLineAsync($"Draining with every process up (at most {drainLimit.TotalSeconds:F0} s)");
            var drained = await WaitUntilAsync(async () => await DrainedAsync(environment, token), drainLimit, null, progress,
                () => Status(environment, processes), token);
            var backlog = drained ? await DrainBacklogAsync(environment, settings, progress, () => Status(environment, processes), token) : [];
            var drainEnd = TimeProvider.System.GetUtcNow();
            await sampling.CancelAsync();
            await sampler;
            var report = ClusterReport.From(settings, environment, traffic, processes.Events, firstPass.Elapsed, runStart, runEnd, drainEnd, backlog, wall.Elapsed.TotalSeconds, logs);
            return drained ? report : report with { Problems = [.. report.Problems, $"not drained within {drainLimit.TotalSeconds:F0} s"] };
        }, cancellationToken);
    }

    /// <summary>
    /// With every process up and nothing else going on: <see cref="ClusterSettings.Backlog"/> new items at once (a post
    /// on each platform each), the outbox sampled every second until all of them went out, then each platform's send
    /// rate in the seconds that started with at least a second's budget waiting, against its global budget. Empty when
    /// the backlog did not drain in time (the report then counts its posts as lost).
    /// </summary>
    private static async Task<IReadOnlyList<BacklogDrain>> DrainBacklogAsync(ClusterEnvironment environment, ClusterSettings settings, TextWriter progress,
        Func<string> status, CancellationToken cancellationToken)
    {
        var budgets = BacklogDrain.Budgets(settings.Processes);
        var discordBefore = environment.Discord.Messages.Count;
        var startedAt = TimeProvider.System.GetUtcNow();
        var samples = new List<(DateTimeOffset At, IReadOnlyDictionary<string, long> Pending)>();
        environment.Feeds.AddItems(settings.Backlog);
        // Every item is seen within a poll interval; the slowest platform then sends at its share of the budget.
        var limit = settings.PollInterval + TimeSpan.FromSeconds(2.0 * settings.Backlog / budgets.Min(b => b.SplitPerSecond)) + settings.Drain;
        await progress.WriteLineAsync($"Backlog: {settings.Backlog} new items at once (at most {limit.TotalSeconds:F0} s)");
        var drained = await WaitUntilAsync(async () =>
        {
            samples.Add((TimeProvider.System.GetUtcNow(), await environment.CountPendingByPlatformAsync(cancellationToken)));
            return await DrainedAsync(environment, cancellationToken);
        }, limit, null, progress, status, cancellationToken);
        if (!drained)
        {
            return [];
        }

        var posts = new Dictionary<string, List<DateTimeOffset>>
        {
            ["discord"] = [.. environment.Discord.Messages.Skip(discordBefore).Select(m => m.ReceivedAt)],
            ["telegram"] = [.. environment.Telegram.Calls.Where(c => c.StatusCode == 200 && c.Method == "sendMessage" && c.At >= startedAt).Select(c => c.At)],
        };
        return [.. budgets.Select(b => b.Measure(posts[b.Platform], samples.Select(s => (s.At, s.Pending.GetValueOrDefault(b.Platform))).ToList()))];
    }

    private static async Task ReportEveryAsync(TextWriter progress, Func<string> status, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var ticks = new PeriodicTimer(ProgressEvery * 2);
        try
        {
            while (await ticks.WaitForNextTickAsync(cancellationToken))
            {
                await progress.WriteLineAsync($"  {clock.Elapsed.TotalSeconds,6:F0} s: {status()}");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    public static string LogFolder(ClusterSettings settings) =>
        Path.GetFullPath(settings.LogFolder ?? Path.Combine(Path.GetTempPath(), "newsbot-cluster-logs", TimeProvider.System.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));

    /// <summary>Nothing pending in the outbox and every item added so far posted at least once on each platform.</summary>
    private static async Task<bool> DrainedAsync(ClusterEnvironment environment, CancellationToken cancellationToken)
    {
        var added = environment.Feeds.AddedItems;
        return environment.Discord.Messages.Count >= added
            && environment.Telegram.Calls.Count(c => c.StatusCode == 200 && c.Method == "sendMessage" && c.Parameters["chat_id"]?.ToString()?.StartsWith('-') == true) >= added
            && await environment.CountPendingDeliveriesAsync(cancellationToken) == 0;
    }

    private static string Status(ClusterEnvironment environment, NewsBotProcesses processes) =>
        $"{processes.RunningCount} running, {environment.Feeds.FeedRequests} polls, {environment.Feeds.AddedItems} items added, discord {environment.Discord.Messages.Count} posts, telegram {environment.Telegram.SentCount} messages";

    /// <summary>
    /// Checks <paramref name="done"/> every second until it holds; false when <paramref name="limit"/> passed first
    /// (an exception naming <paramref name="what"/> when given: the run cannot go on without it).
    /// </summary>
    public static async Task<bool> WaitUntilAsync(Func<Task<bool>> done, TimeSpan limit, string? what, TextWriter progress, Func<string> status, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (!await done())
        {
            if (clock.Elapsed >= limit)
            {
                return what is null ? false : throw new TimeoutException($"Cluster run: {what} did not happen within {limit.TotalSeconds:F0} s ({status()}).");
            }

            if (clock.Elapsed - reported >= ProgressEvery)
            {
                reported = clock.Elapsed;
                await progress.WriteLineAsync($"  {clock.Elapsed.TotalSeconds,6:F0} s: {status()}");
            }

            await ticks.WaitForNextTickAsync(cancellationToken);
        }

        return true;
    }
}
