using NewsBot.Benchmarks.Evaluation;

namespace NewsBot.Benchmarks.Cluster;

/// <summary>
/// Knobs of one cluster proof; each has a flag of the same name in kebab case (<c>--kill-every 60</c>). Defaults are
/// the full proof: 3 processes, 2,000 sources, 500 channels per platform, 10 minutes, a SIGKILL every 60 s
/// and the killed process back 20 s later.
/// </summary>
public sealed record ClusterSettings
{
    public int Processes { get; init; } = 3;

    public int Sources { get; init; } = 2000;

    /// <summary>Channels on each platform; source s posts to Discord channel s % Channels and Telegram chat s % Channels.</summary>
    public int Channels { get; init; } = 500;

    public double Minutes { get; init; } = 10;

    public TimeSpan KillEvery { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan RestartAfter { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The shortest poll interval a cluster accepts: NewsBot refuses NewsBot:Cluster:DeadAfter over half the shortest
    /// poll interval (so a dead process's sources are polled within twice their interval), and DeadAfter is at least
    /// twice a heartbeat of at least 1 s: 2 s, so 4 s.
    /// </summary>
    public static readonly TimeSpan ShortestPollInterval = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Throughput mode's poll interval: short, so every source is due again soon and the processes bound polling, but
    /// twice <see cref="ShortestPollInterval"/>, so DeadAfter (4 s) spans four 1 s heartbeats. At 4 s a process that
    /// saturates its core may miss one heartbeat and be taken for dead: its channels and hosts are taken over while it
    /// still works them (duplicate posts, double polls; seen on a loaded machine).
    /// </summary>
    public static readonly TimeSpan ThroughputPollInterval = TimeSpan.FromSeconds(8);

    /// <summary>NewsBot:Cluster:DeadAfter of every process: its default (30 s), or half the poll interval when that is shorter.</summary>
    public TimeSpan DeadAfter => PollInterval / 2 < TimeSpan.FromSeconds(30) ? PollInterval / 2 : TimeSpan.FromSeconds(30);

    /// <summary>NewsBot:Cluster:HeartbeatInterval: a third of <see cref="DeadAfter"/> as by default, at least 1 s (the lowest NewsBot takes).</summary>
    public TimeSpan HeartbeatInterval => DeadAfter / 3 > TimeSpan.FromSeconds(1) ? DeadAfter / 3 : TimeSpan.FromSeconds(1);

    /// <summary>Loopback addresses (127.0.0.1 …) the feeds are spread over: distinct hosts for per-host politeness.</summary>
    public int Hosts { get; init; } = 50;

    /// <summary>New feed items per second during the run (each owed to one channel on each platform).</summary>
    public double ItemsPerSecond { get; init; } = 3;

    /// <summary>Commands per second on each platform (Discord slash commands over the Gateway, Telegram /help updates).</summary>
    public double CommandsPerSecond { get; init; } = 1;

    /// <summary>Discord shards the fake asks for (GET /gateway/bot).</summary>
    public int Shards { get; init; } = 4;

    /// <summary>After the run: how long the last posts and answers may take, on top of two poll intervals.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>--throughput</c>: 1 then 2 processes pinned to cores 0 and 1, instead of the kill run.</summary>
    public bool Throughput { get; init; }

    /// <summary>Throughput mode: how long each measurement window lasts.</summary>
    public TimeSpan ThroughputWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// New items added at once, each a post on each platform: throughput mode's delivery measurement, and the kill run's
    /// last step (the send rate against each platform's budget, <see cref="BacklogDrain"/>).
    /// </summary>
    public int Backlog { get; init; } = 3000;

    /// <summary>The NewsBot host to run (newsbot.dll, copied beside the bench tool by its project reference).</summary>
    public string NewsBotPath { get; init; } = Path.Combine(AppContext.BaseDirectory, "newsbot.dll");

    /// <summary>Where each process's log goes (one file per start); kept after the run.</summary>
    public string? LogFolder { get; init; }

    public int Seed { get; init; } = 20_261_207;

    /// <summary>Without an idempotency key, a kill can duplicate at most this many Telegram posts (docs/architecture.md, "Crash safety").</summary>
    public int MaxConcurrentSends { get; init; } = 16;

    public TimeSpan Duration => TimeSpan.FromMinutes(Minutes);

    public static ClusterSettings Parse(IReadOnlyList<string> args)
    {
        var defaults = new ClusterSettings();
        string? Value(string name) => BenchArguments.Text(args, name);
        int Int(string name, int fallback) => BenchArguments.Int(args, name, fallback);
        double Real(string name, double fallback) => BenchArguments.Real(args, name, fallback);
        TimeSpan Seconds(string name, TimeSpan fallback) => TimeSpan.FromSeconds(Real(name, fallback.TotalSeconds));
        var settings = defaults with
        {
            Processes = Int("--processes", defaults.Processes),
            Sources = Int("--sources", defaults.Sources),
            Channels = Int("--channels", defaults.Channels),
            Minutes = Real("--minutes", defaults.Minutes),
            KillEvery = Seconds("--kill-every", defaults.KillEvery),
            RestartAfter = Seconds("--restart-after", defaults.RestartAfter),
            PollInterval = Seconds("--poll-interval", args.Contains("--throughput") ? ThroughputPollInterval : defaults.PollInterval),
            Hosts = Int("--hosts", defaults.Hosts),
            ItemsPerSecond = Real("--items-per-second", defaults.ItemsPerSecond),
            CommandsPerSecond = Real("--commands-per-second", defaults.CommandsPerSecond),
            Shards = Int("--shards", defaults.Shards),
            Drain = Seconds("--drain", defaults.Drain),
            Throughput = args.Contains("--throughput"),
            ThroughputWindow = Seconds("--window", defaults.ThroughputWindow),
            Backlog = Int("--backlog", defaults.Backlog),
            NewsBotPath = Path.GetFullPath(Value("--newsbot") ?? defaults.NewsBotPath),
            LogFolder = Value("--logs"),
            Seed = Int("--seed", defaults.Seed),
        };
        if (settings.Processes < 1 || settings.Sources < 1 || settings.Channels < 1 || settings.Shards < 1 || settings.Hosts is < 1 or > 254
            || settings.Minutes <= 0 || settings.PollInterval < ShortestPollInterval || settings.KillEvery <= TimeSpan.Zero || settings.RestartAfter < TimeSpan.Zero)
        {
            throw new ArgumentException("--processes, --sources, --channels and --shards must be at least 1; --hosts 1 to 254; --minutes and --kill-every positive; " +
                "--poll-interval at least 4 s (a cluster's DeadAfter, at least 2 s, must be at most half of it); --restart-after not negative.");
        }

        return settings;
    }
}
