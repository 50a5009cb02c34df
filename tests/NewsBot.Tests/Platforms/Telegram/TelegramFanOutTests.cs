using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Fakes.Telegram;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Runtime;
using NewsBot.Platforms.Telegram;

namespace NewsBot.Tests.Platforms.Telegram;

/// <summary>
/// Throughput against the fake's send limits: 3 stories to 100 supergroups through the real dispatcher and client.
/// The fake allows 40 messages a second overall (this machine's loopback round trip with the database tops out
/// near 90/s, so a faster limit would measure the machine); its per-chat and per-group limits are off, so the global
/// one is what is measured. NewsBot is told the same 40/s.
/// </summary>
public sealed class TelegramFanOutTests
{
    private const int Chats = 100;
    private const int Stories = 3;
    private const int FakeGlobalPerSecond = 40;

    [Fact]
    public async Task FanOut_300PostsTo100Chats_AtLeastThreeQuartersOfTheLimitWithout429Storm()
    {
        var published = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        var items = Enumerable.Range(1, Stories).Select(i => new FeedItem($"fan-{i}", $"Fan-out story {i}", published.AddMinutes(i))).ToArray();
        var limits = new FakeTelegramRateLimits { GlobalPerSecond = FakeGlobalPerSecond, PerChatBurst = null, PerGroupPerMinute = null };
        await using var bot = await TelegramBotHarness.CreateAsync(items, limits);
        var host = await bot.StartHostAsync(new Dictionary<string, string?>
        {
            ["NewsBot:Telegram:GlobalMessagesPerSecond"] = "40",
            ["NewsBot:Feeds:BackfillCount"] = Stories.ToString(CultureInfo.InvariantCulture),
        });

        // Warm-up: one message through the publisher (not the dispatcher, which must stay idle until the clock starts),
        // so one-time costs of the first send (JIT, connections) are not measured.
        var warmUp = await host.Services.GetRequiredService<TelegramPublisher>().NotifyAsync(
            new Channel { Platform = Platform.Telegram, ExternalId = "-1003100000000" }, "warm-up", TestContext.Current.CancellationToken);
        Assert.Equal(PublishOutcome.Sent, warmUp.Outcome);

        // Deliveries are planned before the dispatcher is woken, so the clock measures sending only.
        for (var i = 0; i < Chats; i++)
        {
            await TelegramEndToEndTests.SubscribeDirectlyAsync(host.Services, (-1003000000000 - i).ToString(CultureInfo.InvariantCulture), Stories, wake: false);
        }

        var clock = Stopwatch.StartNew();
        host.Services.GetRequiredService<DeliverySignal>().Notify();
        await bot.Fake.WaitForMessagesAsync(1 + (Chats * Stories), TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        clock.Stop();

        var rate = Chats * Stories / clock.Elapsed.TotalSeconds;
        // The fake's own view: from its first accepted message to its last, against the fastest its sliding window allows
        // (a full window at once, then a full window every second). Free of start-up time on NewsBot's side.
        var accepted = bot.Fake.Calls.Where(c => c.StatusCode == 200 && c.Method.Equals("sendMessage", StringComparison.OrdinalIgnoreCase)).Select(c => c.At).Order().Skip(1).ToList();
        var span = (accepted[^1] - accepted[0]).TotalSeconds;
        var fastest = ((Chats * Stories + FakeGlobalPerSecond - 1) / FakeGlobalPerSecond) - 1;
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fan-out: {Chats * Stories} posts to {Chats} chats in {clock.Elapsed.TotalSeconds:F2} s = {rate:F1} msg/s ({rate / FakeGlobalPerSecond:P0} of the fake's {FakeGlobalPerSecond}/s); at the fake {span:F2} s first to last vs {fastest} s fastest ({fastest / span:P0}); 429 answers: {bot.Fake.TooManyRequestsCount}"));
        Assert.Equal(1 + (Chats * Stories), bot.Fake.SentCount);
        Assert.All(bot.Fake.SentMessages.Skip(1).GroupBy(m => m.ChatId), chat => Assert.Equal(Stories, chat.Count()));
        // No storm: the send window keeps under the fake's window, so a 429 is rare and each one is waited out once.
        Assert.True(bot.Fake.TooManyRequestsCount <= Chats * Stories / 20, $"{bot.Fake.TooManyRequestsCount} 429 answers");
        var rejectedTwice = bot.Fake.Calls.Where(c => c.StatusCode == 429).GroupBy(c => (c.Parameters["chat_id"]?.ToString(), c.Parameters["text"]?.ToString())).Where(g => g.Count() > 1).ToList();
        Assert.Empty(rejectedTwice);
        // The aim is >= 95 % of the limit on a quiet machine and >= 90 % under load (recorded as benchmarks). A send holds
        // its slot for its round trip plus the window, so CPU stalls cost throughput: 54-88 % measured at load average
        // 21-25 on 2 cores. The floor tolerates that and still catches sends serialised per chat or per second.
        Assert.True(rate >= 0.75 * FakeGlobalPerSecond, $"{rate:F1} msg/s is below 75 % of {FakeGlobalPerSecond}/s");
    }
}
