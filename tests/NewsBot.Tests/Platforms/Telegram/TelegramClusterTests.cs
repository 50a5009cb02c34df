using NewsBot.Fakes.Telegram;
using NewsBot.Model;
using NewsBot.Platforms;
using NewsBot.Platforms.Telegram;
using NewsBot.Runtime;
using NewsBot.Storage;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Platforms.Telegram;

/// <summary>Two NewsBot processes on one PostgreSQL database and one bot token: one receives, the other takes over when it dies.</summary>
[Collection(TimeBoundCollection.Name)]
public sealed class TelegramClusterTests(PostgresServer server)
{
    private const string Receiver = "telegram receiver";

    [Fact]
    public async Task Receiving_TwoProcesses_OnePollsAndTheOtherTakesOverWithoutLosingAnUpdate()
    {
        await using var fake = await FakeTelegramServer.StartAsync(new FakeTelegramServerOptions { RateLimits = FakeTelegramRateLimits.None }, TestContext.Current.CancellationToken);
        await using var cluster = await ClusterProcesses.CreateAsync(server);
        var processes = await cluster.StartAsync(2, new Dictionary<string, string?>
        {
            ["NewsBot:Telegram:Token"] = fake.Token,
            ["NewsBot:Telegram:ApiBaseUrl"] = fake.BaseUrl,
            ["NewsBot:Telegram:PollTimeout"] = "00:00:01",
        });
        fake.EnqueuePrivateMessage(8001, "/help");
        await fake.WaitForMessagesToAsync(8001, 1, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        // Three more long polls: had both processes polled, each newer poll would have ended the other's with 409.
        var polls = fake.Calls.Count(c => c.Method.Equals("getUpdates", StringComparison.OrdinalIgnoreCase));
        await fake.WaitForCallsAsync("getUpdates", polls + 3, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(0, fake.ConflictCount);
        var leader = Assert.Single(processes, p => Holdings(p).Contains(Receiver));
        var follower = processes.Single(p => p != leader);

        var crashedAt = TimeProvider.System.GetUtcNow();
        await leader.CrashAsync();
        // Updates that arrive while nobody receives stay with Telegram until the next leader polls.
        int[] users = [8002, 8003, 8004];
        var lastUpdate = users.Select(user => fake.EnqueuePrivateMessage(user, "/help")).ToList().Max();

        foreach (var user in users)
        {
            await fake.WaitForMessagesToAsync(user, 1, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }

        var takenOverAfter = TimeProvider.System.GetUtcNow() - crashedAt;
        Assert.True(takenOverAfter < TimeSpan.FromSeconds(30), $"answered {takenOverAfter} after the crash");
        Assert.All(users.Append(8001), user => Assert.Single(fake.SentMessages, m => m.ChatId == user));
        Assert.Equal(0, fake.ConflictCount);
        Assert.Contains(Receiver, Holdings(follower));
        // The menu was sent once, by the first leader; the second found it current.
        var menus = follower.Get<TelegramCommandMenu>().Menus.Count;
        Assert.Equal(menus, fake.Calls.Count(c => c.Method.Equals("setMyCommands", StringComparison.OrdinalIgnoreCase)));
        // The offset every process reads is past every handled update (stored before the next poll).
        await fake.WaitForWaitingPollAsync(TestContext.Current.CancellationToken);
        var offset = await follower.Get<IPlatformStateStore>().GetAsync(Platform.Telegram.ToKey(), TelegramReceiverService.OffsetKey, TestContext.Current.CancellationToken);
        Assert.Equal((lastUpdate + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), offset);
    }

    private static IReadOnlyList<string> Holdings(ClusterProcesses.Process process) =>
        [.. process.Get<IEnumerable<IClusterHoldings>>().SelectMany(h => h.Describe())];
}
