using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NewsBot.Model;
using NewsBot.Publishing;

namespace NewsBot.Benchmarks.Publishing;

/// <summary>
/// <c>dispatch [--channels N] [--articles M] [--concurrency C]</c>: the dispatcher's own overhead (store reads, post building, per-delivery
/// state commits) for N×M deliveries (default 100×100 = 10,000) against a platform that accepts at once and has no limits.
/// Prints one JSON object. A Stopwatch run, not BenchmarkDotNet: one drain is the unit and it is seconds long.
/// </summary>
public static class DispatchBenchmark
{
    public static async Task<string> RunAsync(string[] args)
    {
        var channels = BenchArguments.Int(args, "--channels", 100);
        var articles = BenchArguments.Int(args, "--articles", 100);
        var concurrency = BenchArguments.Int(args, "--concurrency", 16);
        var folder = Path.Combine(Path.GetTempPath(), "newsbot-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var publisher = new AcceptingPublisher();
            using var host = DispatchFanOut.BuildHost(Path.Combine(folder, "bench.db"), publisher, concurrency);
            var planned = await DispatchFanOut.SeedAsync(host.Services, Platform.Discord, channels, articles, CancellationToken.None);
            var watch = Stopwatch.StartNew();
            var settled = await DispatchFanOut.DrainAsync(host.Services, CancellationToken.None);
            watch.Stop();
            return JsonSerializer.Serialize(new
            {
                deliveries = planned,
                concurrency,
                settled,
                posts = publisher.Posts,
                seconds = Math.Round(watch.Elapsed.TotalSeconds, 3),
                deliveriesPerSecond = Math.Round(settled / watch.Elapsed.TotalSeconds),
            });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Accepts every post at once: what remains measured is the dispatcher.</summary>
    private sealed class AcceptingPublisher : IPlatformPublisher
    {
        private int _posts;

        public int Posts => _posts;

        public Platform Platform => Platform.Discord;

        public RateLimit? GlobalLimit => null;

        public RateLimit? ChannelLimit(Channel channel) => null;

        public Task<PublishResult> PublishAsync(Channel channel, Post post, string idempotencyKey, CancellationToken cancellationToken) => Accept();

        public Task<PublishResult> PublishDigestAsync(Channel channel, DigestPost digest, string idempotencyKey, CancellationToken cancellationToken) => Accept();

        public Task<PublishResult> NotifyAsync(Channel channel, string text, CancellationToken cancellationToken) => Accept();

        private Task<PublishResult> Accept() =>
            Task.FromResult(PublishResult.Sent(Interlocked.Increment(ref _posts).ToString(CultureInfo.InvariantCulture)));
    }
}
