using Microsoft.Extensions.DependencyInjection;
using NewsBot.Commands;
using NewsBot.Platforms.Console;
using NewsBot.Model;
using NewsBot.Tests.Commands.Handlers;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Commands;

public sealed class CommandRouterTests
{
    private static readonly string[] AdminCommands =
        ["source pause news", "subscribe all", "unsubscribe all", "settings max_per_hour:5", "export", "import https://example.org/feeds.opml"];

    [Theory]
    [InlineData("help", "/latest [topic] [source] [count]")]
    [InlineData("latest 2", "[2] Rain floods the underpass")]
    [InlineData("latest source:news count:1", "Rain floods the underpass")]
    [InlineData("latest climate", "Rain floods the underpass")]
    [InlineData("summary 1", "Councils plan for hotter summers")]
    [InlineData("summary rain underpass", "Rain floods the underpass")]
    [InlineData("topics 7d", "Trending, last 7 days")]
    [InlineData("topic climate 1", "On climate")]
    [InlineData("search underpass", "Rain floods the underpass")]
    [InlineData("related 2", "Rain floods the underpass again")]
    [InlineData("sources", "1. news")]
    [InlineData("status", "1 of 1 sources healthy")]
    [InlineData("subscriptions", "receives nothing yet")]
    [InlineData("source pause news", "Paused \"news\"")]
    [InlineData("source resume 1", "Resumed \"news\"")]
    [InlineData("subscribe news summary:off related:0 format:compact digest:daily", "now receives \"news\"")]
    [InlineData("subscribe topic:climate exclude:/draft|rumou?r/", "now receives topic climate")]
    [InlineData("settings max_per_hour:5 quiet:22:00-06:30 timezone:Europe/Berlin", "at most 5 posts an hour")]
    [InlineData("export", "<outline")]
    public async Task Route_GoodArguments_Answers(string line, string expected)
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync(line);

        Assert.False(reply.IsError, ReplyText.Of(reply));
        Assert.Contains(expected, ReplyText.Of(reply), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nosuch", "There is no command \"nosuch\"")]
    [InlineData("latest count:0", "count must be between 1 and 20")]
    [InlineData("latest source:nowhere", "No source matches \"nowhere\"")]
    [InlineData("summary", "Missing article")]
    [InlineData("summary zzzz", "No article matches")]
    [InlineData("topics month", "window must be one of: 24h, 7d")]
    [InlineData("topic", "Missing name")]
    [InlineData("search", "Missing query")]
    [InlineData("search x count:100", "count must be between 1 and 20")]
    [InlineData("related qqqqqqqq", "No article matches")]
    [InlineData("source add", "Missing target")]
    [InlineData("source fly news", "action must be one of: add, remove, pause, resume")]
    [InlineData("source add ftp://example.org/feed", "is not an http(s) link")]
    [InlineData("source pause nowhere", "No source matches")]
    [InlineData("subscribe", "Missing target")]
    [InlineData("subscribe nowhere", "No source matches \"nowhere\"")]
    [InlineData("subscribe topic:", "Name the topic after topic:")]
    [InlineData("subscribe all related:9", "related must be between 0 and 5")]
    [InlineData("subscribe all digest:weekly", "digest must be one of: off, hourly, daily")]
    [InlineData("subscribe all format:huge", "format must be one of: full, compact")]
    [InlineData("subscribe all include:/(a)\\1/", "That filter will not work")]
    [InlineData("unsubscribe news", "was not subscribed")]
    [InlineData("settings max_per_hour:0", "max_per_hour must be between 1 and 120")]
    [InlineData("settings quiet:late", "quiet must look like 22:00-07:00")]
    [InlineData("settings timezone:Mars/Olympus", "Unknown time zone")]
    [InlineData("export now", "I did not expect \"now\"")]
    [InlineData("import", "Missing url")]
    [InlineData("import file:///etc/passwd", "is not an http(s) link")]
    public async Task Route_BadArguments_SaysWhatWasExpected(string line, string expected)
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync(line);

        Assert.True(reply.IsError, ReplyText.Of(reply));
        Assert.Contains(expected, ReplyText.Of(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_AdminCommandsFromMember_AreRefused()
    {
        using var bed = await HandlerBeds.NewsAsync();

        foreach (var line in AdminCommands)
        {
            var reply = await bed.RunAsync(line, admin: false, userId: "9");
            Assert.True(reply.IsError, line);
            Assert.Contains("is for admins of this chat only", ReplyText.Of(reply), StringComparison.Ordinal);
        }

        Assert.Contains("receives nothing yet", ReplyText.Of(await bed.RunAsync("subscriptions", admin: false, userId: "9")), StringComparison.Ordinal);
        Assert.DoesNotContain("/settings", ReplyText.Of(await bed.RunAsync("help", admin: false, userId: "9")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_ConfiguredOwner_IsAdminWithoutThePlatformsWord()
    {
        using var bed = await HandlerBeds.NewsAsync(new Dictionary<string, string?> { ["NewsBot:Owners:0"] = "telegram:42" });

        var owner = await bed.RunAsync("subscribe all", platform: Platform.Telegram, admin: false, userId: "42");
        var sameIdElsewhere = await bed.RunAsync("subscribe all", platform: Platform.Discord, admin: false, userId: "42");

        Assert.False(owner.IsError, ReplyText.Of(owner));
        Assert.True(sameIdElsewhere.IsError);
    }

    [Fact]
    public async Task Catalogue_EveryCommandHasExactlyOneHandler()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var catalogued = bed.Services.GetRequiredService<CommandCatalogue>().All.Select(c => c.Name).Order(StringComparer.Ordinal);
        var handled = bed.Services.GetServices<ICommandHandler>().Select(h => h.Name).Order(StringComparer.Ordinal);

        // Equal lists: no command without a handler ("There is no command" for a listed one), none twice, no stray handler.
        Assert.Equal(catalogued, handled);
    }

    [Fact]
    public async Task Route_UnsubscribeAfterSubscribe_SaysWhatStopped()
    {
        using var bed = await HandlerBeds.NewsAsync();
        await bed.RunAsync("subscribe news");

        var reply = await bed.RunAsync("unsubscribe news");

        Assert.False(reply.IsError, ReplyText.Of(reply));
        Assert.Contains("This channel no longer receives \"news\"", ReplyText.Of(reply), StringComparison.Ordinal);
        Assert.Contains("receives nothing yet", ReplyText.Of(await bed.RunAsync("subscriptions")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_SubscribeTwice_UpdatesInsteadOfDuplicating()
    {
        using var bed = await HandlerBeds.NewsAsync();
        await bed.RunAsync("subscribe news");

        var second = await bed.RunAsync("subscribe news format:compact");
        var list = ReplyText.Of(await bed.RunAsync("subscriptions"));

        Assert.Contains("Updated", ReplyText.Of(second), StringComparison.Ordinal);
        Assert.Single(list.Split('\n'), line => line.StartsWith("news", StringComparison.Ordinal));
        Assert.Contains("compact", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_TypedCommands_AnsweredThroughTheRouter()
    {
        using var folder = new TempFolder();
        var output = new CapturingWriter();
        var input = new LineFeeder();
        using var host = TestHosts.Build(folder, TestHosts.SampleFeed(), new ConsoleIO(input, output));
        await host.StartAsync(TestContext.Current.CancellationToken);

        input.Send("/latest count:99");
        input.Send("/subscriptions");
        var text = await output.WaitForAsync(t => t.Contains("This channel receives", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Contains("count must be between 1 and 20", text, StringComparison.Ordinal);
        Assert.Contains("Samples", text, StringComparison.Ordinal);
    }
}
