using System.Diagnostics;
using System.Globalization;
using NewsBot.Benchmarks.Evaluation;
using NewsBot.Benchmarks.Load;
using NewsBot.Fakes.Discord;
using NewsBot.Fakes.Telegram;
using NewsBot.Model;

namespace NewsBot.Benchmarks.FanOut;

/// <summary>What one platform's fake saw of a fan-out; rates in messages per second.</summary>
public sealed record PlatformFanOut(
    string Platform,
    int Channels,
    int PostsExpected,
    int PostsReceived,
    int DuplicatePosts,
    double LimitPerSecond,
    string LimitSource,
    double SendsPerSecond,
    double ShareOfLimit,
    int TooManyRequests,
    double SecondsToFirstPost,
    double SecondsToDrain,
    double MedianRoundTripMs);

public sealed record FanOutReport(
    int ChannelsPerPlatform,
    int Articles,
    double SubscribeSeconds,
    IReadOnlyList<PlatformFanOut> Platforms,
    double CpuSeconds,
    string LoadAverage);

/// <summary>
/// <c>fanout [--platform discord|telegram|both] [--channels N] [--posts N]</c>: the real host with the real Discord and
/// Telegram adapters against both fakes at the platforms' documented limits; N subscribed channels per platform, then
/// <c>--posts</c> articles at once, each owed to every channel. Measures sends per second against each fake's limit,
/// 429 answers and the time to drain the outbox, and prints one JSON object.
/// </summary>
public static class FanOutProof
{
    /// <summary>How long one run may take to drain before it reports what it got.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromMinutes(8);

    public static async Task<string> RunAsync(string[] args, TextWriter progress, CancellationToken cancellationToken)
    {
        var platform = BenchArguments.Text(args, "--platform") ?? "both";
        var channels = BenchArguments.Int(args, "--channels", 200);
        var articles = BenchArguments.Int(args, "--posts", 3);
        var discord = platform is "discord" or "both";
        var telegram = platform is "telegram" or "both";
        if (!discord && !telegram)
        {
            throw new ArgumentException("--platform must be discord, telegram or both.");
        }

        var cpuAtStart = ProcessStats.CpuTime();
        using var roundTrips = new RoundTrips();
        // Documented limits: Discord 50 requests/s per bot and 5 messages per 5 s per channel; Telegram about 30
        // messages/s per bot, a short burst per chat, 20/min per group (FakeTelegramRateLimits.Realistic).
        await using var discordFake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = 41_250 }, cancellationToken);
        await using var telegramFake = await FakeTelegramServer.StartAsync(new FakeTelegramServerOptions { RateLimits = FakeTelegramRateLimits.Realistic }, cancellationToken);
        var settings = new Dictionary<string, string?>();
        if (discord)
        {
            settings["NewsBot:Discord:Token"] = discordFake.Options.Token;
            settings["NewsBot:Discord:ApiBaseUrl"] = discordFake.ApiBaseUrl;
        }

        if (telegram)
        {
            settings["NewsBot:Telegram:Token"] = telegramFake.Token;
            settings["NewsBot:Telegram:ApiBaseUrl"] = telegramFake.BaseUrl;
        }

        await using var host = ProofHost.Build(settings);
        await host.Host.StartAsync(cancellationToken);
        var outbox = new ProofOutbox(host.Services);
        var subscribing = Stopwatch.StartNew();
        if (discord)
        {
            await outbox.AddChannelsAsync(Platform.Discord, Ids(channels, 710_000_000_000_000_000, 1), cancellationToken);
        }

        if (telegram)
        {
            // Supergroups (-100…), the usual home of a news feed; each also counts against the 20/min group limit.
            await outbox.AddChannelsAsync(Platform.Telegram, Ids(channels, -1_003_000_000_000, -1), cancellationToken);
        }

        subscribing.Stop();
        progress.WriteLine($"{channels} channels per platform subscribed in {subscribing.Elapsed.TotalSeconds:F1} s; publishing {articles} articles");

        var clock = Stopwatch.StartNew();
        var start = TimeProvider.System.GetUtcNow();
        var planned = await outbox.PublishAsync(articles, cancellationToken);
        var expected = channels * articles;
        progress.WriteLine($"{planned} deliveries planned");
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (clock.Elapsed < DrainLimit
            && ((discord && discordFake.Messages.Count < expected) || (telegram && telegramFake.SentCount < expected)))
        {
            if ((int)clock.Elapsed.TotalSeconds % 10 == 0)
            {
                progress.WriteLine($"  {clock.Elapsed.TotalSeconds,4:F0} s: discord {discordFake.Messages.Count}, telegram {telegramFake.SentCount} of {expected} each");
            }

            await ticks.WaitForNextTickAsync(cancellationToken);
        }

        var results = new List<PlatformFanOut>();
        if (discord)
        {
            var posts = discordFake.Messages;
            results.Add(Measure("discord", channels, expected, posts.Select(m => m.ReceivedAt).ToList(),
                posts.Count - posts.Select(m => (m.ChannelId, m.Nonce)).Distinct().Count(),
                discordFake.Options.GlobalLimitPerSecond, "fake Discord: 50 requests/s per bot (global), 5 messages per 5 s per channel",
                discordFake.RateLimitedByBucket.Values.Sum(), start, roundTrips.MedianMilliseconds(new Uri(discordFake.BaseAddress).Port)));
        }

        if (telegram)
        {
            var sends = telegramFake.Calls.Where(c => c.Method == "sendMessage").ToList();
            var sent = telegramFake.SentMessages;
            results.Add(Measure("telegram", channels, expected, sends.Where(c => c.StatusCode == 200).Select(c => c.At).ToList(),
                sent.Count - sent.Select(m => (m.ChatId, m.Text)).Distinct().Count(),
                telegramFake.RateLimits.GlobalPerSecond ?? 0, "fake Telegram: 30 messages/s per bot, 3 per 3 s per chat, 20 per minute per group",
                telegramFake.TooManyRequestsCount, start, roundTrips.MedianMilliseconds(new Uri(telegramFake.BaseUrl).Port)));
        }

        return LoadHarness.ToJson(new FanOutReport(channels, articles, Round(subscribing.Elapsed.TotalSeconds), results,
            Round((ProcessStats.CpuTime() - cpuAtStart).TotalSeconds), ProcessStats.LoadAverage()));
    }

    /// <summary>
    /// Sends per second from the first accepted post to the last. The limiter may spend one second's worth at once
    /// after idle, so short runs read a little high; the 5,000-channel run is long enough for that not to matter.
    /// </summary>
    private static PlatformFanOut Measure(string platform, int channels, int expected, List<DateTimeOffset> times, int duplicates,
        double limit, string limitSource, int tooManyRequests, DateTimeOffset start, double roundTripMs)
    {
        times.Sort();
        var rate = times.Count > 1 ? (times.Count - 1) / (times[^1] - times[0]).TotalSeconds : 0;
        return new PlatformFanOut(platform, channels, expected, times.Count, duplicates, limit, limitSource,
            Round(rate), Round(rate / limit), tooManyRequests,
            times.Count == 0 ? 0 : Round((times[0] - start).TotalSeconds),
            times.Count == 0 ? 0 : Round((times[^1] - start).TotalSeconds),
            roundTripMs);
    }

    private static IEnumerable<string> Ids(int count, long first, long step) =>
        Enumerable.Range(0, count).Select(i => (first + (i * step)).ToString(CultureInfo.InvariantCulture));

    private static double Round(double value) => Math.Round(value, 3);
}
