using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NewsBot.Platforms.Discord;
using NewsBot.Tests.Feeds.Fetching;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Platforms.Discord;

public sealed class DiscordCommandsEndToEndTests
{
    [Fact]
    public async Task Start_RegistersCommandsOnce_NotAgainAfterRestart()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        await bot.WaitAsync(() => bot.Fake.CommandSets.Count == 1, "command registration");

        var commands = bot.Fake.CommandSets[0].Commands.OfType<JsonObject>().ToDictionary(c => c["name"]!.GetValue<string>());
        Assert.Null(bot.Fake.CommandSets[0].GuildId);
        var subscribe = commands["subscribe"];
        Assert.Equal("32", subscribe["default_member_permissions"]!.GetValue<string>());
        Assert.Equal([0], subscribe["contexts"]!.AsArray().Select(n => n!.GetValue<int>()));
        var options = subscribe["options"]!.AsArray().OfType<JsonObject>().ToDictionary(o => o["name"]!.GetValue<string>());
        Assert.Equal(3, options["target"]!["type"]!.GetValue<int>());
        Assert.True(options["target"]!["autocomplete"]!.GetValue<bool>());
        Assert.Equal(5, options["summary"]!["type"]!.GetValue<int>());
        Assert.Equal(4, options["related"]!["type"]!.GetValue<int>());
        Assert.Equal(5, options["related"]!["max_value"]!.GetValue<double>());
        Assert.Equal(["full", "compact"], options["format"]!["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>()));
        Assert.Null(commands["latest"]["default_member_permissions"]);

        // Events are handled in order: once a later command is answered, READY's registration (and its saved hash) is done.
        var first = await bot.CommandAsync("help");
        await bot.WaitAsync(() => bot.CallbackFor(first) is not null, "help answer");

        // A restart with the same commands must not spend the daily create budget again.
        await bot.StopHostAsync();
        await bot.StartHostAsync();
        var help = await bot.CommandAsync("help");
        await bot.WaitAsync(() => bot.CallbackFor(help) is not null, "help answer after restart");
        Assert.Single(bot.Fake.CommandSets);
    }

    [Fact]
    public async Task Start_GuildIdSet_RegistersInThatGuild()
    {
        await using var bot = await DiscordBotHarness.StartAsync(new() { ["NewsBot:Discord:GuildId"] = "123456789012345678" });
        await bot.WaitAsync(() => bot.Fake.CommandSets.Count == 1, "command registration");
        Assert.Equal(123456789012345678UL, bot.Fake.CommandSets[0].GuildId);
    }

    [Fact]
    public async Task Help_Typed1000TimesConcurrently_EveryOneAnsweredWithinDeadline()
    {
        const int Count = 1000;
        await using var bot = await DiscordBotHarness.StartAsync();
        await bot.WaitAsync(() => bot.Fake.CommandSets.Count == 1, "command registration");

        var sentAt = new Dictionary<ulong, DateTimeOffset>();
        for (var i = 0; i < Count; i++)
        {
            var at = TimeProvider.System.GetUtcNow();
            sentAt[await bot.CommandAsync("help")] = at;
        }

        await bot.WaitAsync(() => bot.Fake.Callbacks.Count >= Count, $"{Count} answers", TimeSpan.FromSeconds(60));
        var callbacks = bot.Fake.Callbacks.Where(c => sentAt.ContainsKey(c.InteractionId)).ToList();
        Assert.Equal(Count, callbacks.Select(c => c.InteractionId).Distinct().Count());
        var worst = callbacks.Max(c => c.ReceivedAt - sentAt[c.InteractionId]);
        var deferred = callbacks.Count(c => c.Body["type"]!.GetValue<int>() == 5);
        var latencies = callbacks.Select(c => (c.ReceivedAt - sentAt[c.InteractionId]).TotalMilliseconds).Order().ToList();
        var dispatching = sentAt.Values.Max() - sentAt.Values.Min();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"1000 concurrent /help: worst dispatch→callback {worst.TotalMilliseconds:F0} ms, median {latencies[latencies.Count / 2]:F0} ms, {deferred} deferred; dispatching took {dispatching.TotalMilliseconds:F0} ms");
        Assert.True(worst < TimeSpan.FromSeconds(3), $"worst answer took {worst.TotalMilliseconds:F0} ms");
        Assert.All(callbacks, c => Assert.Contains(c.Body["type"]!.GetValue<int>(), new[] { 4, 5 }));
    }

    [Fact]
    public async Task Subscribe_MemberWithoutPermission_RefusedEphemerally()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var id = await bot.CommandAsync("subscribe", new JsonObject { ["target"] = "all" }, permissions: 0);
        await bot.WaitAsync(() => bot.CallbackFor(id) is not null, "refusal");

        var body = bot.CallbackFor(id)!.Body;
        Assert.Equal(4, body["type"]!.GetValue<int>());
        Assert.Equal(64, body["data"]!["flags"]!.GetValue<int>());
        Assert.Contains("admins", body["data"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_BotCannotEmbedInChannel_RepliesWhatIsMissing()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var id = await bot.CommandAsync("subscribe", new JsonObject { ["target"] = "all" }, appPermissions: (1UL << 10) | (1UL << 11));
        await bot.WaitAsync(() => bot.CallbackFor(id) is not null, "refusal");

        var data = bot.CallbackFor(id)!.Body["data"]!;
        Assert.Equal(64, data["flags"]!.GetValue<int>());
        Assert.Contains("Embed Links", data["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("Send Messages", data["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Autocomplete_SourceOption_AnswersWithChoices()
    {
        await using var bot = await DiscordBotHarness.StartAsync(new()
        {
            ["NewsBot:Feeds:Sources:0:Url"] = "https://wire.example/feed.xml",
            ["NewsBot:Feeds:Sources:0:Name"] = "Wire Service",
        });
        await bot.WaitForSessionAsync();
        var id = await bot.AutocompleteAsync("latest", "source", "wire");
        await bot.WaitAsync(() => bot.CallbackFor(id) is not null, "autocomplete answer");

        var body = bot.CallbackFor(id)!.Body;
        Assert.Equal(8, body["type"]!.GetValue<int>());
        var choice = Assert.Single(body["data"]!["choices"]!.AsArray());
        Assert.Equal("Wire Service", choice!["name"]!.GetValue<string>());
    }

    [Fact]
    public void MissingPostingPermissions_AllGranted_IsEmpty() =>
        Assert.Empty(DiscordInteractionHandler.MissingPostingPermissions(DiscordBotHarness.CanPost));

    [Fact]
    public async Task Import_SlowerThanDeferDeadline_DefersPrivatelyThenEditsTheAnswerIn()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var opml = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/sources.opml", async (HttpContext context) =>
            {
                await release.Task;
                context.Response.ContentType = "text/x-opml";
                await context.Response.WriteAsync($"<opml version=\"2.0\"><head/><body><outline type=\"rss\" text=\"Wire\" xmlUrl=\"http://{context.Request.Host}/feed.xml\"/></body></opml>");
            });
            app.MapGet("/feed.xml", () => Results.Content(File.ReadAllText(Path.Combine(RepositoryPaths.Samples, "feed.xml")), "application/rss+xml"));
        });
        await using var bot = await DiscordBotHarness.StartAsync(new() { ["NewsBot:Feeds:AllowPrivateAddresses"] = "true" });

        var id = await bot.CommandAsync("import", new JsonObject { ["url"] = opml.Url("/sources.opml") });
        await bot.WaitAsync(() => bot.CallbackFor(id) is not null, "deferral");
        var deferral = bot.CallbackFor(id)!.Body;
        Assert.Equal(5, deferral["type"]!.GetValue<int>());
        Assert.Equal(64, deferral["data"]!["flags"]!.GetValue<int>());

        release.SetResult();
        await bot.WaitAsync(() => bot.Fake.WebhookCalls.Any(c => c.Token == "itoken-" + id), "edited answer");
        var edit = bot.Fake.WebhookCalls.Single(c => c.Token == "itoken-" + id);
        Assert.Equal("PATCH", edit.Method);
        Assert.Contains("@original", edit.Path, StringComparison.Ordinal);
        Assert.Contains("Added 1 of 1 entries.", edit.Body.ToJsonString(), StringComparison.Ordinal);
    }
}
