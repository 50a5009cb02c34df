using System.Globalization;
using System.Text.RegularExpressions;
using NewsBot.Fakes.Feeds;
using NewsBot.Discord;
using NewsBot.Fakes.Telegram;
using NewsBot.Platforms.Telegram;
using NewsBot.Publishing;

namespace NewsBot.Benchmarks.Cluster;

/// <summary>What reached one platform's fake of the posts the run owed it, and how fast it came.</summary>
public sealed record PlatformDeliveries(
    string Platform,
    int Expected,
    int Received,
    int Lost,
    int Duplicates,
    int DuplicatesInKillWindow,
    int DuplicatesAllowed,
    int TooManyRequests,
    int MostTooManyRequestsInOneBucket,
    int MostPostsToOneChannelInWindow,
    double ChannelWindowSeconds,
    int MostPostsInOneSecond);

/// <summary>
/// One platform's sending while a backlog drained with every process up (<see cref="ClusterRun"/>), against the
/// platform's global budget. The live processes split the budget equally (<see cref="RateLimit.ShareOf"/>), so
/// together they may send at most <see cref="SplitPerSecond"/> posts a second; <see cref="SentPerSecond"/> is what
/// they sent in the <see cref="BusySeconds"/> that began with at least a second's budget pending on the platform,
/// and <see cref="UtilisationPercent"/> that rate as a share of the budget: what the equal split (and a process that
/// holds few channels) leaves unused.
/// </summary>
public sealed record BacklogDrain(string Platform, int Posts, double DrainSeconds, int BudgetPerSecond, double SplitPerSecond, int BusySeconds, double SentPerSecond,
    double UtilisationPercent)
{
    /// <summary>The platforms' budgets as the processes run them (the defaults): Discord 50/s, Telegram 30/s of which posts keep a tenth free for replies.</summary>
    public static IReadOnlyList<BacklogDrain> Budgets(int processes)
    {
        var discord = new DiscordClientOptions().GlobalRequestsPerSecond;
        var telegram = new TelegramOptions().GlobalMessagesPerSecond;
        var telegramPosts = telegram - TelegramPublisher.ReplyReserve(telegram);
        return [Empty("discord", discord, discord, processes), Empty("telegram", telegram, telegramPosts, processes)];
    }

    private static BacklogDrain Empty(string platform, int budget, int postsBudget, int processes)
    {
        var share = new RateLimit(postsBudget, TimeSpan.FromSeconds(1)).ShareOf(processes);
        return new BacklogDrain(platform, 0, 0, budget, Math.Round(processes * share.Count / share.Period.TotalSeconds, 1), 0, 0, 0);
    }

    /// <param name="posts">When each post of the backlog reached the platform.</param>
    /// <param name="pending">The platform's pending deliveries, sampled about every second from the moment the backlog was added.</param>
    public BacklogDrain Measure(List<DateTimeOffset> posts, IReadOnlyList<(DateTimeOffset At, long Pending)> pending)
    {
        posts.Sort();
        var busy = TimeSpan.Zero;
        var busySeconds = 0;
        var sentWhileBusy = 0;
        foreach (var (sample, next) in pending.Zip(pending.Skip(1)))
        {
            if (sample.Pending >= BudgetPerSecond)
            {
                busySeconds++;
                busy += next.At - sample.At;
                sentWhileBusy += posts.Count(at => at >= sample.At && at < next.At);
            }
        }

        var rate = busy > TimeSpan.Zero ? sentWhileBusy / busy.TotalSeconds : 0;
        var drain = posts.Count > 1 ? (posts[^1] - pending[0].At).TotalSeconds : 0;
        return this with
        {
            Posts = posts.Count,
            DrainSeconds = Math.Round(drain, 1),
            BusySeconds = busySeconds,
            SentPerSecond = Math.Round(rate, 1),
            UtilisationPercent = Math.Round(100 * rate / BudgetPerSecond, 1),
        };
    }
}

/// <summary>Polling seen from the feed server: gaps between polls of each source against the interval.</summary>
public sealed record PollingFigures(
    double IntervalSeconds,
    double FirstPassSeconds,
    long PollsInRun,
    double PollsPerMinute,
    double LargestGapSeconds,
    double LargestLatenessSeconds,
    double P99SourceGapSeconds,
    int SourcesOverTwiceInterval,
    int DoublePolls,
    int HostOverlapsAcrossProcesses);

public sealed record ShardFigures(int Shards, double LongestGapSeconds, IReadOnlyList<double> LongestGapPerShard, int Identifies, int IdentifiesRateLimited, int OverlappingIdentifies, int CommandRegistrations);

public sealed record TelegramReceiving(double LongestGapSeconds, int Conflicts, int GetUpdatesCalls);

public sealed record CommandFigures(string Platform, int Sent, int NotDeliverable, int LostWithSession, int Answered, int Unanswered, double SlowestAnswerSeconds);

/// <summary>
/// The figures of a cluster proof (<c>cluster</c> verb, scripts/proof-cluster.sh), read from the fakes' own records
/// and the process events. Passes when nothing is lost, Discord has no duplicate and Telegram none outside the kill
/// window, every source is polled again within twice its interval, no 409 and no receiver gap over 30 s, every
/// deliverable command answered, and no platform bucket answered 429 more than once. (A process that exits on its own
/// stops the run before any report: <see cref="NewsBotProcesses.WatchAsync"/>.)
/// </summary>
public sealed partial record ClusterReport(
    int Processes,
    int Sources,
    int ChannelsPerPlatform,
    double Minutes,
    double KillEverySeconds,
    double RestartAfterSeconds,
    int Kills,
    IReadOnlyList<PlatformDeliveries> Deliveries,
    PollingFigures Polling,
    ShardFigures Shards,
    TelegramReceiving TelegramReceiver,
    IReadOnlyList<CommandFigures> Commands,
    IReadOnlyList<BacklogDrain> Backlog,
    double WallSeconds,
    string LoadAverage,
    string Logs,
    IReadOnlyList<string> Problems)
{
    /// <summary>A duplicate Telegram post is the kill window's when its first copy went out at most this long before a kill.</summary>
    public static readonly TimeSpan KillWindowSlack = TimeSpan.FromSeconds(2);

    /// <summary>The issue's bound: another process receives Telegram updates within 30 s.</summary>
    private static readonly TimeSpan ReceiverTakeover = TimeSpan.FromSeconds(30);

    public string Verdict => Problems.Count == 0 ? "PASS" : "FAIL: " + string.Join("; ", Problems);

    /// <summary>The figures in a few lines a person reads at a glance.</summary>
    public string Summary()
    {
        var lines = new List<string>
        {
            Line($"{Processes} processes, {Sources} sources, {ChannelsPerPlatform} channels per platform, {Minutes} min, {Kills} SIGKILLs (every {KillEverySeconds:F0} s, back after {RestartAfterSeconds:F0} s)"),
        };
        lines.AddRange(Deliveries.Select(d => Line(
            $"{d.Platform}: {d.Received}/{d.Expected} posts, {d.Lost} lost, {d.Duplicates} duplicates ({d.DuplicatesInKillWindow} in a kill window, {d.DuplicatesAllowed} allowed), {d.TooManyRequests} × 429 (≤ {d.MostTooManyRequestsInOneBucket} per bucket), at most {d.MostPostsToOneChannelInWindow} per channel in {d.ChannelWindowSeconds:F0} s and {d.MostPostsInOneSecond} in one second")));
        lines.Add(Line($"polling: interval {Polling.IntervalSeconds:F0} s, {Polling.PollsPerMinute:F0} polls/min, largest gap {Polling.LargestGapSeconds:F1} s (lateness {Polling.LargestLatenessSeconds:F1} s, p99 gap {Polling.P99SourceGapSeconds:F1} s), {Polling.SourcesOverTwiceInterval} sources over 2× interval, {Polling.DoublePolls} double polls, {Polling.HostOverlapsAcrossProcesses} host overlaps across processes"));
        lines.Add(Line($"shards: {Shards.Shards}, longest without a holder {Shards.LongestGapSeconds:F1} s, {Shards.Identifies} identifies ({Shards.IdentifiesRateLimited} too fast, {Shards.OverlappingIdentifies} of a shard already held), commands registered {Shards.CommandRegistrations} times"));
        lines.Add(Line($"telegram receiver: longest gap {TelegramReceiver.LongestGapSeconds:F1} s, {TelegramReceiver.Conflicts} × 409"));
        lines.AddRange(Backlog.Select(b => Line(
            $"{b.Platform} backlog: {b.Posts} posts in {b.DrainSeconds:F0} s; {b.SentPerSecond:F1}/s in the {b.BusySeconds} s with a second's budget waiting = {b.UtilisationPercent:F0} % of the {b.BudgetPerSecond}/s budget (the equal split allows {b.SplitPerSecond:F0}/s of posts)")));
        lines.AddRange(Commands.Select(c => Line($"{c.Platform} commands: {c.Answered}/{c.Sent} answered, {c.Unanswered} unanswered, {c.LostWithSession} lost with their session, {c.NotDeliverable} sent while the shard had no session, slowest {c.SlowestAnswerSeconds:F1} s")));
        return string.Join(Environment.NewLine, lines);
    }

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <param name="runStart">Traffic started (every source polled once); <paramref name="runEnd"/>: traffic and kills stopped; <paramref name="drainEnd"/>: the report is taken.</param>
    public static ClusterReport From(ClusterSettings settings, ClusterEnvironment environment, ClusterTraffic traffic, IReadOnlyList<ProcessEvent> events,
        TimeSpan firstPass, DateTimeOffset runStart, DateTimeOffset runEnd, DateTimeOffset drainEnd, IReadOnlyList<BacklogDrain> backlog, double wallSeconds, string logs)
    {
        var problems = new List<string>();
        var kills = events.Where(e => e.Kind == ProcessEvent.Killed).Select(e => e.At).ToList();
        var expected = ExpectedItems(environment, settings).ToList();
        var deliveries = new[] { DiscordDeliveries(environment, expected, problems), TelegramDeliveries(environment, settings, expected, kills, problems) };
        var polling = MeasurePolling(settings, environment.Feeds.Requests, firstPass, runStart, runEnd, problems);
        var shards = MeasureShards(settings, environment, traffic, problems);
        var receiver = Receiver(environment.Telegram, runStart, drainEnd, problems);
        var commands = new[] { DiscordCommands(environment, traffic, problems), TelegramCommands(environment, traffic, problems) };
        return new ClusterReport(settings.Processes, settings.Sources, settings.Channels, settings.Minutes, settings.KillEvery.TotalSeconds, settings.RestartAfter.TotalSeconds,
            kills.Count, deliveries, polling, shards, receiver, commands, backlog, Round(wallSeconds), Load.ProcessStats.LoadAverage(), logs, problems);
    }

    /// <summary>Every item added during the run, as (feed, item): each is owed to one channel on each platform.</summary>
    private static IEnumerable<(int Feed, int Item)> ExpectedItems(ClusterEnvironment environment, ClusterSettings settings)
    {
        for (var feed = 0; feed < settings.Sources; feed++)
        {
            for (var item = ClusterEnvironment.InitialItems; environment.Feeds.TryGetAppearance(environment.Feeds.Url($"items/{feed}/{item}"), out _); item++)
            {
                yield return (feed, item);
            }
        }
    }

    private static PlatformDeliveries DiscordDeliveries(ClusterEnvironment environment, List<(int Feed, int Item)> expected, List<string> problems)
    {
        var fake = environment.Discord;
        var posts = fake.Messages
            .Select(m => (Channel: m.ChannelId.ToString(CultureInfo.InvariantCulture), Item: ItemOf(m.Body.ToJsonString()), m.ReceivedAt))
            .Where(p => p.Item is not null)
            .Select(p => (p.Channel, Item: p.Item!.Value, At: p.ReceivedAt))
            .ToList();
        var limited = fake.RateLimitedByBucket;
        var result = Measure("discord", expected, posts, f => ClusterEnvironment.DiscordChannel(environment.ChannelOf(f)), [], allowedPerKill: 0,
            limited.Values.Sum(), limited.Values.DefaultIfEmpty(0).Max(), TimeSpan.FromSeconds(5));
        Judge(result, problems);
        return result;
    }

    private static PlatformDeliveries TelegramDeliveries(ClusterEnvironment environment, ClusterSettings settings, List<(int Feed, int Item)> expected, List<DateTimeOffset> kills, List<string> problems)
    {
        var calls = environment.Telegram.Calls.Where(c => string.Equals(c.Method, "sendMessage", StringComparison.OrdinalIgnoreCase)).ToList();
        var posts = calls.Where(c => c.StatusCode == 200)
            .Select(c => (Channel: ChatOf(c), Item: ItemOf(c.Parameters["text"]?.ToString() ?? ""), c.At))
            .Where(p => p.Item is not null)
            .Select(p => (p.Channel, Item: p.Item!.Value, p.At))
            .ToList();
        var perChat429 = calls.Where(c => c.StatusCode == 429).GroupBy(ChatOf).Select(g => g.Count()).DefaultIfEmpty(0).Max();
        var result = Measure("telegram", expected, posts, f => ClusterEnvironment.TelegramChat(environment.ChannelOf(f)), kills, settings.MaxConcurrentSends,
            environment.Telegram.TooManyRequestsCount, perChat429, TimeSpan.FromSeconds(3));
        Judge(result, problems);
        return result;
    }

    private static PlatformDeliveries Measure(string platform, List<(int Feed, int Item)> expected, List<(string Channel, (int Feed, int Item) Item, DateTimeOffset At)> posts,
        Func<int, string> channelOf, List<DateTimeOffset> kills, int allowedPerKill, int tooManyRequests, int mostInOneBucket, TimeSpan channelWindow)
    {
        var byKey = posts.GroupBy(p => (p.Channel, p.Item)).ToDictionary(g => g.Key, g => g.Select(p => p.At).Order().ToList());
        var received = expected.Count(e => byKey.ContainsKey((channelOf(e.Feed), e)));
        var duplicates = byKey.Values.Sum(times => times.Count - 1);
        // A second copy is the documented window's when its first copy was accepted just before a process was killed.
        var inWindow = byKey.Values.Where(times => times.Count > 1)
            .Sum(times => times.Skip(1).Count(_ => kills.Any(kill => kill >= times[0] && kill - times[0] <= KillWindowSlack)));
        var mostPerChannel = posts.GroupBy(p => p.Channel).Select(g => MostInWindow(g.Select(p => p.At), channelWindow)).DefaultIfEmpty(0).Max();
        return new PlatformDeliveries(platform, expected.Count, received, expected.Count - received, duplicates, inWindow, allowedPerKill * kills.Count,
            tooManyRequests, mostInOneBucket, mostPerChannel, channelWindow.TotalSeconds, MostInWindow(posts.Select(p => p.At), TimeSpan.FromSeconds(1)));
    }

    private static void Judge(PlatformDeliveries platform, List<string> problems)
    {
        if (platform.Lost > 0)
        {
            problems.Add($"{platform.Platform}: {platform.Lost} of {platform.Expected} posts lost");
        }

        var outside = platform.Duplicates - platform.DuplicatesInKillWindow;
        if (outside > 0 || platform.DuplicatesInKillWindow > platform.DuplicatesAllowed)
        {
            problems.Add($"{platform.Platform}: {platform.Duplicates} duplicate posts ({outside} outside the kill window, {platform.DuplicatesAllowed} allowed inside)");
        }

        if (platform.MostTooManyRequestsInOneBucket > 1)
        {
            problems.Add($"{platform.Platform}: {platform.TooManyRequests} answers 429, up to {platform.MostTooManyRequestsInOneBucket} in one bucket");
        }
    }

    private static PollingFigures MeasurePolling(ClusterSettings settings, IReadOnlyList<FeedRequest> requests, TimeSpan firstPass, DateTimeOffset runStart, DateTimeOffset runEnd, List<string> problems)
    {
        var interval = settings.PollInterval;
        var polls = requests.Where(r => r.Feed >= 0).ToList();
        var gaps = new List<double>();
        var doublePolls = 0;
        foreach (var feed in polls.GroupBy(r => r.Feed))
        {
            var starts = feed.Select(r => r.StartedAt).Order().ToList();
            doublePolls += starts.Zip(starts.Skip(1)).Count(pair => pair.Second - pair.First < interval / 2);
            // Gaps that overlap the run, and the one still open at its end.
            var largest = starts.Zip(starts.Skip(1)).Where(pair => pair.Second >= runStart && pair.First <= runEnd).Select(pair => pair.Second - pair.First)
                .Append(starts.LastOrDefault() < runEnd ? runEnd - Max(starts.LastOrDefault(), runStart) : TimeSpan.Zero)
                .Max();
            gaps.Add(largest.TotalSeconds);
        }

        gaps.Sort();
        var largestGap = gaps.LastOrDefault();
        var late = gaps.Count(g => g > 2 * interval.TotalSeconds);
        if (late > 0)
        {
            problems.Add($"{late} sources not polled again within twice the interval (largest gap {largestGap:F0} s, interval {interval.TotalSeconds:F0} s)");
        }

        if (gaps.Count < settings.Sources)
        {
            problems.Add($"{settings.Sources - gaps.Count} sources never polled");
        }

        var inRun = polls.Count(r => r.StartedAt >= runStart && r.StartedAt <= runEnd);
        return new PollingFigures(interval.TotalSeconds, Round(firstPass.TotalSeconds), inRun, Round(inRun / Math.Max(1e-9, (runEnd - runStart).TotalMinutes)),
            Round(largestGap), Round(largestGap - interval.TotalSeconds), Round(P99(gaps)), late, doublePolls, HostOverlaps(polls));
    }

    /// <summary>Two requests to one host at the same time from different processes (User-Agents): per-host politeness broken across the cluster.</summary>
    private static int HostOverlaps(List<FeedRequest> polls)
    {
        var overlaps = 0;
        foreach (var host in polls.GroupBy(r => r.Host))
        {
            FeedRequest? open = null;
            foreach (var request in host.OrderBy(r => r.StartedAt))
            {
                if (open is not null && request.StartedAt < open.EndedAt && request.UserAgent != open.UserAgent)
                {
                    overlaps++;
                }

                if (open is null || request.EndedAt > open.EndedAt)
                {
                    open = request;
                }
            }
        }

        return overlaps;
    }

    private static ShardFigures MeasureShards(ClusterSettings settings, ClusterEnvironment environment, ClusterTraffic traffic, List<string> problems)
    {
        var samples = traffic.ShardSamples;
        // Gaps count from the first moment every shard had a holder (start-up is not a gap).
        var first = samples.FirstOrDefault(s => s.Live.All(live => live));
        var perShard = new List<double>();
        for (var shard = 0; shard < settings.Shards; shard++)
        {
            var longest = TimeSpan.Zero;
            DateTimeOffset? downSince = null;
            foreach (var sample in samples.Where(s => first is not null && s.At >= first.At))
            {
                if (!sample.Live[shard])
                {
                    downSince ??= sample.At;
                }
                else if (downSince is { } since)
                {
                    longest = Max(longest, sample.At - since);
                    downSince = null;
                }
            }

            if (downSince is { } stillDown)
            {
                longest = Max(longest, samples[^1].At - stillDown);
            }

            perShard.Add(Round(longest.TotalSeconds));
        }

        var gateway = environment.Discord.Gateway;
        if (first is null)
        {
            problems.Add("the shards never all had a holder at once");
        }

        if (gateway.OverlappingIdentifies > 0)
        {
            problems.Add($"{gateway.OverlappingIdentifies} identifies of a shard another connection still held (a shard run twice)");
        }

        var identifies = gateway.IdentifyRecords;
        return new ShardFigures(settings.Shards, perShard.DefaultIfEmpty(0).Max(), perShard, identifies.Count,
            identifies.Count(i => i.Answer == Fakes.Discord.RecordedIdentify.RateLimited), gateway.OverlappingIdentifies, environment.Discord.CommandSets.Count);
    }

    private static TelegramReceiving Receiver(FakeTelegramServer telegram, DateTimeOffset from, DateTimeOffset to, List<string> problems)
    {
        var polls = telegram.Calls.Where(c => string.Equals(c.Method, "getUpdates", StringComparison.OrdinalIgnoreCase)).OrderBy(c => c.StartedAt).ToList();
        var longest = TimeSpan.Zero;
        var coveredUntil = from;
        foreach (var poll in polls.Where(p => p.At >= from && p.StartedAt <= to))
        {
            longest = Max(longest, poll.StartedAt - coveredUntil);
            coveredUntil = Max(coveredUntil, poll.At);
        }

        longest = Max(longest, to - coveredUntil);
        if (longest > ReceiverTakeover)
        {
            problems.Add($"Telegram updates unreceived for {longest.TotalSeconds:F0} s (bound {ReceiverTakeover.TotalSeconds:F0} s)");
        }

        if (telegram.ConflictCount > 0)
        {
            problems.Add($"{telegram.ConflictCount} getUpdates answered 409 Conflict (two receivers)");
        }

        return new TelegramReceiving(Round(longest.TotalSeconds), telegram.ConflictCount, polls.Count);
    }

    private static CommandFigures DiscordCommands(ClusterEnvironment environment, ClusterTraffic traffic, List<string> problems)
    {
        var sent = traffic.Interactions;
        var answers = environment.Discord.Callbacks.GroupBy(c => c.InteractionId).ToDictionary(g => g.Key, g => g.Min(c => c.ReceivedAt));
        var lost = environment.Discord.Gateway.Interactions.Where(i => i.Lost).Select(i => i.Id).ToHashSet();
        var deliverable = sent.Where(s => s.Dispatched).ToList();
        var answered = deliverable.Where(s => answers.ContainsKey(s.Id)).ToList();
        var lostWithSession = deliverable.Count(s => !answers.ContainsKey(s.Id) && lost.Contains(s.Id));
        var figures = new CommandFigures("discord", sent.Count, sent.Count - deliverable.Count, lostWithSession, answered.Count, deliverable.Count - answered.Count - lostWithSession,
            Round(answered.Select(s => (answers[s.Id] - s.At).TotalSeconds).DefaultIfEmpty(0).Max()));
        JudgeCommands(figures, problems);
        return figures;
    }

    private static CommandFigures TelegramCommands(ClusterEnvironment environment, ClusterTraffic traffic, List<string> problems)
    {
        var sent = traffic.TelegramCommands;
        var replies = environment.Telegram.Calls
            .Where(c => c.StatusCode == 200 && string.Equals(c.Method, "sendMessage", StringComparison.OrdinalIgnoreCase))
            .GroupBy(ChatOf).ToDictionary(g => g.Key, g => g.Min(c => c.At));
        var answered = sent.Where(s => replies.ContainsKey(Chat(s.ChatId))).ToList();
        var figures = new CommandFigures("telegram", sent.Count, 0, 0, answered.Count, sent.Count - answered.Count,
            Round(answered.Select(s => (replies[Chat(s.ChatId)] - s.At).TotalSeconds).DefaultIfEmpty(0).Max()));
        JudgeCommands(figures, problems);
        return figures;
    }

    private static void JudgeCommands(CommandFigures figures, List<string> problems)
    {
        if (figures.Unanswered > 0)
        {
            problems.Add($"{figures.Platform}: {figures.Unanswered} of {figures.Sent} commands unanswered");
        }
    }

    /// <summary>The most timestamps inside any window of <paramref name="window"/> (sliding).</summary>
    private static int MostInWindow(IEnumerable<DateTimeOffset> times, TimeSpan window)
    {
        var sorted = times.Order().ToList();
        var most = 0;
        for (int start = 0, end = 0; end < sorted.Count; end++)
        {
            while (sorted[end] - sorted[start] >= window)
            {
                start++;
            }

            most = Math.Max(most, end - start + 1);
        }

        return most;
    }

    /// <summary>The (feed, item) of a post, from the item link it carries (<c>/items/{feed}/{item}</c>).</summary>
    private static (int Feed, int Item)? ItemOf(string text) =>
        ItemLink().Match(text) is { Success: true } match
            ? (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;

    private static string ChatOf(TelegramApiCall call) => call.Parameters["chat_id"]?.ToString() ?? "";

    private static string Chat(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static double P99(List<double> sorted) => sorted.Count == 0 ? 0 : Load.LoadHarness.Percentile(sorted, 0.99);

    private static T Max<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b;

    private static double Round(double value) => Math.Round(value, 1);

    [GeneratedRegex(@"/items/(\d+)/(\d+)")]
    private static partial Regex ItemLink();
}
