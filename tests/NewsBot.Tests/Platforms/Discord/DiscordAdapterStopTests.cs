using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NewsBot.Cli;
using NewsBot.Platforms.Console;
using NewsBot.Platforms.Discord;
using NewsBot.Fakes.Discord;
using NewsBot.Fakes.Telegram;
using NewsBot.Feeds;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Platforms.Discord;

/// <summary>A Discord token that is malformed or refused stops the Discord adapter only, with one line naming the setting.</summary>
public sealed class DiscordAdapterStopTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task MalformedToken_StopsDiscordOnly_FeedsTelegramConsoleRunAndHealthzDegrades()
    {
        await using var discord = await FakeDiscordServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var telegram = await FakeTelegramServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder();
        var settings = TestHosts.SampleFeed();
        settings["NewsBot:Discord:Token"] = "garbage";
        settings["NewsBot:Discord:ApiBaseUrl"] = discord.ApiBaseUrl;
        settings["NewsBot:Telegram:Token"] = telegram.Token;
        settings["NewsBot:Telegram:ApiBaseUrl"] = telegram.BaseUrl;
        settings["NewsBot:Telegram:PollTimeout"] = "00:00:02";
        settings["NewsBot:Http:Urls"] = "http://127.0.0.1:0";
        var output = new CapturingWriter();
        var input = new LineFeeder();
        using var host = TestHosts.Build(folder, settings, new ConsoleIO(input, output), b => b.Logging.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));

        await host.StartAsync(TestContext.Current.CancellationToken);

        // Feeds: the first poll stores the sample feed's articles.
        await host.Services.GetRequiredService<PollSignal>().FirstRound.WaitAsync(Patience, TestContext.Current.CancellationToken);
        // Console: answers commands.
        input.Send("/help");
        await output.WaitForAsync(text => text.Contains("/subscribe", StringComparison.Ordinal), Patience);
        // Telegram: answers commands.
        telegram.EnqueuePrivateMessage(7001, "/help");
        await telegram.WaitForMessagesToAsync(7001, 1, TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);

        var adapter = host.Services.GetRequiredService<DiscordAdapterState>();
        Assert.True(adapter.IsStopped);
        Assert.Empty(discord.Gateway.ConnectionUrls);
        Assert.Equal(0, discord.InvalidRequestCount);
        var logs = host.Services.GetRequiredService<FakeLogCollector>().GetSnapshot();
        var line = Assert.Single(logs, r => r.Level >= LogLevel.Warning && r.Category?.Contains("Discord", StringComparison.Ordinal) == true);
        Assert.Contains("NewsBot:Discord:Token", line.Message, StringComparison.Ordinal);
        Assert.Contains("keeps running", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs, r => r.Message.Contains("garbage", StringComparison.Ordinal));

        var health = await TestHosts.GetHealthAsync(host);
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal("degraded", health.Body.GetProperty("status").GetString());
        var components = health.Body.GetProperty("components");
        Assert.Equal("stopped", components.GetProperty("discord").GetProperty("state").GetString());
        Assert.Contains("NewsBot:Discord:Token", components.GetProperty("discord").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("ok", components.GetProperty("telegram").GetProperty("state").GetString());
        Assert.Equal("ok", components.GetProperty("console").GetProperty("state").GetString());
        Assert.Equal("ok", components.GetProperty("feeds").GetProperty("state").GetString());
        Assert.Equal("ok", components.GetProperty("database").GetProperty("state").GetString());

        // `newsbot healthcheck` treats degraded as alive (exit 0) and prints what is down.
        using var cliFolder = new TempFolder();
        using var cli = TestHosts.Build(cliFolder, new Dictionary<string, string?> { ["NewsBot:Http:Urls"] = health.Address },
            configure: b => CliServiceCollectionExtensions.AddCli(b.Services));
        using var printed = new StringWriter();
        var exit = await CliRunner.RunAsync(cli, ["healthcheck"], printed, TestContext.Current.CancellationToken);
        Assert.Equal(0, exit);
        Assert.Contains("degraded", printed.ToString(), StringComparison.Ordinal);

        input.EndInput();
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("401", "NewsBot:Discord:Token")]
    [InlineData("4004", "NewsBot:Discord:Token")]
    [InlineData("4014", "NewsBot:Discord:Intents")]
    public async Task RefusedTokenOrIntent_StopsDiscordWithOneLineNamingTheSetting(string refusal, string setting)
    {
        await using var bot = await DiscordBotHarness.StartAsync(new() { ["NewsBot:Http:Urls"] = "http://127.0.0.1:0" }, startHost: false);
        if (refusal == "401")
        {
            bot.Fake.RejectAllTokens();
        }
        else
        {
            bot.Fake.Gateway.CloseNextIdentifyWith(int.Parse(refusal, System.Globalization.CultureInfo.InvariantCulture));
        }

        await bot.StartHostAsync(b => b.Logging.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));
        var adapter = bot.Get<DiscordAdapterState>();
        await Task.Delay(Timeout.Infinite, adapter.Stopping).WaitAsync(Patience, TestContext.Current.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.True(adapter.IsStopped);
        var line = Assert.Single(bot.Get<FakeLogCollector>().GetSnapshot(), r => r.Level >= LogLevel.Warning && r.Category?.Contains("Discord", StringComparison.Ordinal) == true);
        Assert.Contains(setting, line.Message, StringComparison.Ordinal);
        var health = await TestHosts.GetHealthAsync(bot.Host!);
        Assert.Equal("degraded", health.Body.GetProperty("status").GetString());
        Assert.Equal("stopped", health.Body.GetProperty("components").GetProperty("discord").GetProperty("state").GetString());
    }
}
