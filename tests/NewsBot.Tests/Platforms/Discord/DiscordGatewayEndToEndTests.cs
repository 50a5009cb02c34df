using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Platforms.Discord;
using NewsBot.Feeds;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Tests.Platforms.Discord;

public sealed class DiscordGatewayEndToEndTests
{
    [Fact]
    public async Task Restart_ResumesSavedSessionWithLastSequence()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var help = await bot.CommandAsync("help");
        await bot.WaitAsync(() => bot.CallbackFor(help) is not null, "help answer");
        var sequence = bot.Fake.Gateway.LatestSequence;
        var session = bot.Fake.Gateway.LatestSessionId;

        await bot.StopHostAsync();
        await bot.StartHostAsync();
        await bot.WaitAsync(() => bot.Fake.Gateway.Resumes.Count == 1, "RESUME after restart");

        var resume = bot.Fake.Gateway.Resumes[0];
        Assert.Equal(session, resume.SessionId);
        Assert.Equal(sequence, resume.Seq);
        Assert.Single(bot.Fake.Gateway.Identifies);
        var again = await bot.CommandAsync("help");
        await bot.WaitAsync(() => bot.CallbackFor(again) is not null, "help answer after resume");
    }

    [Fact]
    public async Task Restart_StoredResumeUrlDead_IdentifiesAfterTwoTriesAndAnswers()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        // An answered command means the client has READY (and so a session to save at stop).
        var first = await bot.CommandAsync("help");
        await bot.WaitAsync(() => bot.CallbackFor(first) is not null, "help answer");
        await bot.StopHostAsync();
        // The saved session now points at a resume URL nothing listens on.
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadUrl = $"ws://127.0.0.1:{((IPEndPoint)closed.LocalEndpoint).Port}";
        closed.Stop();
        using (var offline = TestSupport.TestHosts.Build(bot.Folder, bot.Settings))
        {
            var store = offline.Services.GetRequiredService<IPlatformStateStore>();
            var saved = await store.GetAsync(Platform.Discord.ToKey(), DiscordGatewayService.SessionKey, TestContext.Current.CancellationToken);
            var lines = saved!.Split('\n');
            Assert.Equal(4, lines.Length);
            lines[1] = deadUrl;
            await store.SetAsync(Platform.Discord.ToKey(), DiscordGatewayService.SessionKey, string.Join('\n', lines), TestContext.Current.CancellationToken);
        }

        await bot.StartHostAsync();
        await bot.WaitAsync(() => bot.Fake.Gateway.Identifies.Count == 2, "IDENTIFY after the dead resume URL");
        var help = await bot.CommandAsync("help");
        await bot.WaitAsync(() => bot.CallbackFor(help) is not null, "help answer on the new session");

        Assert.Empty(bot.Fake.Gateway.Resumes);
    }

    [Fact]
    public async Task Reconnect_Op7_ResumesWithoutIdentify()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        await bot.WaitForSessionAsync();
        await bot.Fake.Gateway.SendReconnectAsync();
        var help = await bot.CommandAsync("help");
        await bot.WaitAsync(() => bot.CallbackFor(help) is not null && bot.Fake.Gateway.Resumes.Count == 1, "answer after RESUME");
        Assert.Single(bot.Fake.Gateway.Identifies);
    }

    [Fact]
    public async Task InvalidSession_NotResumable_IdentifiesAgain()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        await bot.WaitForSessionAsync();
        await bot.Fake.Gateway.SendInvalidSessionAsync(resumable: false);
        await bot.WaitAsync(() => bot.Fake.Gateway.Identifies.Count == 2, "second IDENTIFY");
        var help = await bot.CommandAsync("help");
        await bot.WaitAsync(() => bot.CallbackFor(help) is not null, "answer on the new session");
        Assert.Empty(bot.Fake.Gateway.Resumes);
    }

    [Theory]
    [InlineData(4004, "NewsBot:Discord:Token")]
    [InlineData(4014, "Intents")]
    public async Task FatalClose_StopsDiscordAdapterButNotTheBot(int closeCode, string setting)
    {
        await using var bot = await DiscordBotHarness.StartAsync(
            new() { ["NewsBot:Feeds:Sources:0:Url"] = Path.Combine(TestSupport.RepositoryPaths.Samples, "feed.xml"), ["NewsBot:Feeds:Sources:0:Name"] = "Samples" },
            startHost: false);
        bot.Fake.Gateway.CloseNextIdentifyWith(closeCode);
        await bot.StartHostAsync();

        var adapter = bot.Get<DiscordAdapterState>();
        await WhenCancelledAsync(adapter.Stopping, TimeSpan.FromSeconds(30));
        Assert.Contains(setting, adapter.StopReason, StringComparison.Ordinal);

        // The rest of NewsBot still polls and stores news.
        await bot.Get<PollSignal>().FirstRound.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var source = await bot.Get<ISourceStore>().GetByUrlAsync(Path.Combine(TestSupport.RepositoryPaths.Samples, "feed.xml"), TestContext.Current.CancellationToken);
        Assert.NotNull(source?.LastPolledAt);
        Assert.Single(bot.Fake.Gateway.Identifies);
    }

    [Fact]
    public async Task GuildDeleted_BotRemoved_PausesThatGuildsChannelsOnly()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var subscribe = await bot.CommandAsync("subscribe", new JsonObject { ["target"] = "all" });
        await bot.WaitAsync(() => bot.CallbackFor(subscribe) is not null, "subscribe answer");

        // An outage (unavailable) must not pause anything; a removal must.
        await bot.Fake.Gateway.DispatchAsync("GUILD_DELETE", new JsonObject { ["id"] = Id(DiscordBotHarness.GuildId), ["unavailable"] = true });
        await BarrierAsync(bot);
        Assert.False((await SubscriptionsAsync(bot)).Single().Paused);

        await bot.Fake.Gateway.DispatchAsync("GUILD_DELETE", new JsonObject { ["id"] = Id(DiscordBotHarness.GuildId) });
        await BarrierAsync(bot);
        var paused = Assert.Single(await SubscriptionsAsync(bot));
        Assert.True(paused.Paused);
        Assert.Equal("discord.removed_from_guild", paused.PausedReason);
    }

    [Fact]
    public async Task ChannelDeleted_PausesThatChannel()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var subscribe = await bot.CommandAsync("subscribe", new JsonObject { ["target"] = "all" });
        await bot.WaitAsync(() => bot.CallbackFor(subscribe) is not null, "subscribe answer");

        await bot.Fake.Gateway.DispatchAsync("CHANNEL_DELETE", new JsonObject { ["id"] = Id(DiscordBotHarness.ChannelId), ["type"] = 0, ["guild_id"] = Id(DiscordBotHarness.GuildId) });
        await BarrierAsync(bot);
        Assert.True(Assert.Single(await SubscriptionsAsync(bot)).Paused);
    }

    /// <summary>Events are handled in order, so once a later command is answered the earlier event is done.</summary>
    private static async Task BarrierAsync(DiscordBotHarness bot)
    {
        var help = await bot.CommandAsync("help", channelId: DiscordBotHarness.ChannelId + 1);
        await bot.WaitAsync(() => bot.CallbackFor(help) is not null, "barrier command");
    }

    private static async Task<IReadOnlyList<Subscription>> SubscriptionsAsync(DiscordBotHarness bot)
    {
        var channel = await bot.Get<IChannelStore>().GetOrAddAsync(Platform.Discord, Id(DiscordBotHarness.ChannelId), null, null, null, TestContext.Current.CancellationToken);
        return await bot.Get<ISubscriptionStore>().ListForChannelAsync(channel.Id, TestContext.Current.CancellationToken);
    }

    private static async Task WhenCancelledAsync(CancellationToken token, TimeSpan timeout)
    {
        var cancelled = new TaskCompletionSource();
        await using var registration = token.Register(() => cancelled.TrySetResult());
        await cancelled.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
    }

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
