using System.Diagnostics;

namespace NewsBot.Benchmarks.Cluster;

/// <summary>
/// One measurement with N processes: polls per minute while every source is due all the time (so polling is bound by
/// the processes, not by the interval), then deliveries per second while a backlog of new items drains; platform
/// limits lifted on both sides so the processes are the bottleneck. Duplicates and double polls show work done twice.
/// </summary>
public sealed record ThroughputPhase(int Processes, string Cores, double PollsPerMinute, int DoublePolls, int Deliveries, double DeliveriesPerSecond, int DuplicatePosts, double DrainSeconds);

public sealed record ThroughputReport(int Sources, double PollIntervalSeconds, double PollsDuePerMinute, double WindowSeconds, int BacklogItems, ThroughputPhase One, ThroughputPhase Two,
    double PollsRatio, double DeliveriesRatio, double Goal, string LoadAverage, string Logs, IReadOnlyList<string> Problems)
{
    public string Verdict => Problems.Count == 0 ? "PASS" : "FAIL: " + string.Join("; ", Problems);
}

/// <summary>
/// <c>cluster --throughput</c>: the same PostgreSQL and fakes, first 1 process pinned to core 0 (<c>taskset -c 0</c>),
/// then 2 processes pinned to cores 0 and 1; each measured as in <see cref="ThroughputPhase"/>. Goal: ≥ 1.7× with two.
/// </summary>
public static class ClusterThroughput
{
    private const double Goal = 1.7;
    private static readonly TimeSpan DrainLimit = TimeSpan.FromMinutes(4);

    public static async Task<ThroughputReport> RunAsync(ClusterSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        await using var environment = await ClusterEnvironment.StartAsync(settings, unlimitedPlatforms: true, cancellationToken);
        await environment.SeedAsync(progress, cancellationToken);
        var logs = ClusterRun.LogFolder(settings);
        var one = await MeasureAsync(environment, settings, 1, logs, progress, cancellationToken);
        var two = await MeasureAsync(environment, settings, 2, logs, progress, cancellationToken);
        var pollsRatio = Math.Round(two.PollsPerMinute / Math.Max(1e-9, one.PollsPerMinute), 2);
        var deliveriesRatio = Math.Round(two.DeliveriesPerSecond / Math.Max(1e-9, one.DeliveriesPerSecond), 2);
        var problems = new List<string>();
        // Sources due per minute: when the processes keep up with it, the interval bounds polling, not the processes.
        var pollsDue = Math.Round(settings.Sources / settings.PollInterval.TotalMinutes, 1);
        foreach (var phase in new[] { one, two }.Where(p => p.PollsPerMinute >= 0.9 * pollsDue))
        {
            problems.Add($"{phase.Processes} process(es) polled {phase.PollsPerMinute}/min of the {pollsDue}/min due: bound by the interval, not the processes (pass more --sources)");
        }

        if (pollsRatio < Goal)
        {
            problems.Add($"polls/min ×{pollsRatio} with two processes (goal ×{Goal})");
        }

        if (deliveriesRatio < Goal)
        {
            problems.Add($"deliveries/s ×{deliveriesRatio} with two processes (goal ×{Goal})");
        }

        if (two.DoublePolls > 0 || two.DuplicatePosts > 0)
        {
            problems.Add($"two processes did work twice: {two.DoublePolls} double polls, {two.DuplicatePosts} duplicate posts");
        }

        return new ThroughputReport(settings.Sources, settings.PollInterval.TotalSeconds, pollsDue, settings.ThroughputWindow.TotalSeconds, settings.Backlog, one, two,
            pollsRatio, deliveriesRatio, Goal, Load.ProcessStats.LoadAverage(), logs, problems);
    }

    private static async Task<ThroughputPhase> MeasureAsync(ClusterEnvironment environment, ClusterSettings settings, int count, string logs, TextWriter progress, CancellationToken cancellationToken)
    {
        var cores = string.Join(',', Enumerable.Range(0, count));
        await using var processes = new NewsBotProcesses(count, settings.NewsBotPath, environment.WorkingFolder, Path.Combine(logs, $"{count}-processes"),
            slot => environment.ProcessEnvironment(slot, unlimitedPlatforms: true), cpuOf: slot => slot);
        processes.StartAll();
        return await processes.WatchAsync(token => MeasureRunningAsync(environment, settings, processes, cores, progress, token), cancellationToken);
    }

    private static async Task<ThroughputPhase> MeasureRunningAsync(ClusterEnvironment environment, ClusterSettings settings, NewsBotProcesses processes, string cores, TextWriter progress,
        CancellationToken cancellationToken)
    {
        var count = processes.Count;
        await progress.WriteLineAsync($"{count} process(es) on core(s) {cores}: waiting for every source to be polled");
        var status = () => $"{processes.RunningCount} running, {environment.Feeds.FeedRequests} polls, discord {environment.Discord.Messages.Count} posts, telegram {environment.Telegram.SentCount} messages";
        await ClusterRun.WaitUntilAsync(async () => await environment.CountPolledSourcesAsync(cancellationToken) >= settings.Sources, TimeSpan.FromMinutes(10),
            "the first poll of every source", progress, status, cancellationToken);

        // Polling: every source is due again after PollInterval (8 s in throughput mode), so the processes are the limit.
        var windowStart = TimeProvider.System.GetUtcNow();
        await Task.Delay(settings.ThroughputWindow, cancellationToken);
        var windowEnd = TimeProvider.System.GetUtcNow();
        var polls = environment.Feeds.Requests.Where(r => r.Feed >= 0 && r.StartedAt >= windowStart && r.StartedAt < windowEnd).ToList();
        var doublePolls = polls.GroupBy(r => r.Feed).Sum(feed =>
        {
            var starts = feed.Select(r => r.StartedAt).Order().ToList();
            return starts.Zip(starts.Skip(1)).Count(pair => pair.Second - pair.First < settings.PollInterval / 2);
        });
        await progress.WriteLineAsync($"  {polls.Count} polls in {settings.ThroughputWindow.TotalSeconds:F0} s; now a backlog of {settings.Backlog} new items (a post on each platform each)");

        // Deliveries: a backlog of new items, each owed to one Discord channel and one Telegram chat.
        var discordBefore = environment.Discord.Messages.Count;
        var telegramBefore = environment.Telegram.SentCount;
        var backlogStart = Stopwatch.StartNew();
        var startedAt = TimeProvider.System.GetUtcNow();
        environment.Feeds.AddItems(settings.Backlog);
        var expected = 2 * settings.Backlog;
        int Delivered() => environment.Discord.Messages.Count - discordBefore + environment.Telegram.SentCount - telegramBefore;
        await ClusterRun.WaitUntilAsync(() => Task.FromResult(Delivered() >= expected), DrainLimit, null, progress, status, cancellationToken);
        var drain = backlogStart.Elapsed;
        var times = environment.Discord.Messages.Skip(discordBefore).Select(m => m.ReceivedAt)
            .Concat(environment.Telegram.Calls.Where(c => c.Method == "sendMessage" && c.StatusCode == 200 && c.At >= startedAt).Select(c => c.At))
            .Order().ToList();
        var delivered = Delivered();
        var duplicates = environment.Telegram.SentMessages.Skip(telegramBefore).GroupBy(m => (m.ChatId, m.Text)).Sum(g => g.Count() - 1);
        var rate = times.Count > 1 ? delivered / (times[^1] - startedAt).TotalSeconds : 0;
        await progress.WriteLineAsync($"  {delivered} of {expected} posts in {drain.TotalSeconds:F0} s");
        return new ThroughputPhase(count, cores, Math.Round(polls.Count / settings.ThroughputWindow.TotalMinutes, 1), doublePolls, delivered, Math.Round(rate, 1), duplicates,
            Math.Round(drain.TotalSeconds, 1));
    }
}
