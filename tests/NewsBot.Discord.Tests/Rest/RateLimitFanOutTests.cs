using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Discord.Rest;
using NewsBot.Fakes.Discord;

namespace NewsBot.Discord.Tests.Rest;

public sealed class RateLimitFanOutTests(ITestOutputHelper output)
{
    /// <summary>High enough that the fan-out takes seconds, not minutes.</summary>
    private const int GlobalLimit = 100;

    [Fact]
    public async Task CreateMessage_FanOut1000Over200Channels_AtLeastHalfTheGlobalLimitWithoutRepeated429()
    {
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { GlobalLimitPerSecond = GlobalLimit }, TestContext.Current.CancellationToken);
        await using var services = DiscordTestServices.Build(fake);
        var client = services.GetRequiredService<DiscordRestClient>();

        var stopwatch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i =>
            client.CreateMessageAsync(1000 + (ulong)(i % 200), new OutgoingMessage { Content = $"article {i}", Nonce = $"n{i}" }, TestContext.Current.CancellationToken)));
        stopwatch.Stop();

        // Rate as Discord sees it: arrivals from first to last, so JIT and connection warm-up do not count.
        var arrivals = fake.Messages.Select(m => m.ReceivedAt).Order().ToList();
        var rate = (arrivals.Count - 1) / (arrivals[^1] - arrivals[0]).TotalSeconds;
        var wallRate = 1000 / stopwatch.Elapsed.TotalSeconds;
        var worstBucket = fake.RateLimitedByBucket.Values.DefaultIfEmpty(0).Max();
        output.WriteLine($"fan-out: 1000 messages / 200 channels; arrivals {rate:F0} msg/s ({rate / GlobalLimit:P0} of the fake's {GlobalLimit}/s), " +
            $"wall clock {stopwatch.Elapsed.TotalSeconds:F2} s = {wallRate:F0} msg/s; 429s: {fake.RateLimitedByBucket.Values.Sum()} total, worst bucket {worstBucket}");
        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.ToString()));
        Assert.Equal(1000, fake.Messages.Count);
        Assert.True(worstBucket <= 1, $"a bucket got {worstBucket} 429s");
        // The ≥ 90% goal is a benchmark figure (docs/benchmarks.md, measured on a quiet machine); with the whole suite
        // running beside it, this only checks the limiter does not throttle far below the limit.
        Assert.True(rate >= 0.5 * GlobalLimit, $"{rate:F0} msg/s is below half of {GlobalLimit}/s");
    }
}
