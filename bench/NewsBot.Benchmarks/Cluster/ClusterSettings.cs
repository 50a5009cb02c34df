using System.Globalization;
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

    /// <summary>Throughput mode: deliveries planned at once for the delivery measurement (per platform).</summary>
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
        string? Value(string name) => CorpusLocator.ArgumentValue(args, name);
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Real(string name, double fallback) => Value(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        TimeSpan Seconds(string name, TimeSpan fallback) => TimeSpan.FromSeconds(Real(name, fallback.TotalSeconds));
        var settings = defaults with
        {
            Processes = Int("--processes", defaults.Processes),
            Sources = Int("--sources", defaults.Sources),
            Channels = Int("--channels", defaults.Channels),
            Minutes = Real("--minutes", defaults.Minutes),
            KillEvery = Seconds("--kill-every", defaults.KillEvery),
            RestartAfter = Seconds("--restart-after", defaults.RestartAfter),
            PollInterval = Seconds("--poll-interval", defaults.PollInterval),
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
            || settings.Minutes <= 0 || settings.PollInterval < TimeSpan.FromSeconds(1) || settings.KillEvery <= TimeSpan.Zero || settings.RestartAfter < TimeSpan.Zero)
        {
            throw new ArgumentException("--processes, --sources, --channels and --shards must be at least 1; --hosts 1 to 254; --minutes, --kill-every and --poll-interval (at least 1 s) positive; --restart-after not negative.");
        }

        return settings;
    }
}
