using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Fakes.Telegram;
using NewsBot.Storage;

namespace NewsBot.Tests.Telegram;

/// <summary>
/// Throughput against the fake's send limits: 3 stories to 100 supergroups through the real dispatcher and client.
/// The fake allows 40 messages a second overall (this machine's loopback round trip with the database tops out
/// near 90/s, so a faster limit would measure the machine), a burst of 3 per chat and 20 a minute per group;
/// NewsBot is told the same 40/s: its send window counts a send until a second after Telegram answered, so
/// jitter cannot push two seconds' worth into one of the server's windows.
/// </summary>
public sealed class TelegramFanOutTests
{
    private const int Chats = 100;
    private const int Stories = 3;
    private const int FakeGlobalPerSecond = 40;

    [Fact]
    public async Task FanOut_300PostsTo100Chats_KeepsNearTheLimitWithout429Storm()
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

        // Deliveries are planned before the dispatcher is woken, so the clock measures sending only.
        var signal = host.Services.GetRequiredService<DeliverySignal>();
        for (var i = 0; i < Chats; i++)
        {
            await TelegramEndToEndTests.SubscribeDirectlyAsync(host.Services, (-1003000000000 - i).ToString(CultureInfo.InvariantCulture), Stories);
        }

        var clock = Stopwatch.StartNew();
        signal.Notify();
        await bot.Fake.WaitForMessagesAsync(Chats * Stories, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        clock.Stop();

        var rate = Chats * Stories / clock.Elapsed.TotalSeconds;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"fan-out: {Chats * Stories} posts to {Chats} chats in {clock.Elapsed.TotalSeconds:F2} s = {rate:F1} msg/s ({rate / FakeGlobalPerSecond:P0} of the fake's {FakeGlobalPerSecond}/s); 429 answers: {bot.Fake.TooManyRequestsCount}");
        Assert.Equal(Chats * Stories, bot.Fake.SentCount);
        Assert.All(bot.Fake.SentMessages.GroupBy(m => m.ChatId), chat => Assert.Equal(Stories, chat.Count()));
        // No storm: the send window keeps under the fake's window, so a 429 is rare and each one is waited out once.
        Assert.True(bot.Fake.TooManyRequestsCount <= Chats * Stories / 20, $"{bot.Fake.TooManyRequestsCount} 429 answers");
        var rejectedTwice = bot.Fake.Calls.Where(c => c.StatusCode == 429).GroupBy(c => (c.Parameters["chat_id"]?.ToString(), c.Parameters["text"]?.ToString())).Where(g => g.Count() > 1).ToList();
        Assert.Empty(rejectedTwice);
        // The aim is >= 90 % of the limit; a send holds its slot for its round trip plus the window, so stalls on a busy
        // machine cost throughput (65 % measured at load average 25 on 2 cores). The floor still catches sends
        // serialised per chat or per second.
        Assert.True(rate >= 0.5 * FakeGlobalPerSecond, $"{rate:F1} msg/s is below half of {FakeGlobalPerSecond}/s");
    }
}
