using Microsoft.Extensions.DependencyInjection;
using NewsBot.Discord.Rest;
using NewsBot.Discord.Wire;
using NewsBot.Fakes.Discord;

namespace NewsBot.Discord.Tests.Rest;

public sealed class DiscordRestClientTests
{
    private static CancellationToken None => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateMessage_Plain_SendsNoMentionsAndDiscordHeaders()
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var services = DiscordTestServices.Build(fake);
        var client = services.GetRequiredService<DiscordRestClient>();

        var result = await client.CreateMessageAsync(11, new OutgoingMessage { Content = "hello @everyone", Flags = MessageFlags.SuppressEmbeds }, None);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        var body = Assert.Single(fake.MessagesIn(11)).Body;
        Assert.Empty(body["allowed_mentions"]!["parse"]!.AsArray());
        Assert.Equal(4, body["flags"]!.GetValue<int>());
        Assert.Empty(fake.Violations);
        Assert.Equal(11UL, result.Value.ChannelId);
    }

    [Fact]
    public async Task CreateMessage_CallerAsksToParseEveryone_StillParsesNothing()
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var services = DiscordTestServices.Build(fake);
        var client = services.GetRequiredService<DiscordRestClient>();

        await client.CreateMessageAsync(12, new OutgoingMessage { Content = "x", AllowedMentions = new AllowedMentions { Parse = ["everyone", "roles"] } }, None);
        await client.CreateMessageAsync(12, new OutgoingMessage { Content = "y", AllowedMentions = new AllowedMentions { Users = [42] } }, None);

        var bodies = fake.MessagesIn(12).Select(m => m.Body).ToList();
        Assert.All(bodies, b => Assert.Empty(b["allowed_mentions"]!["parse"]!.AsArray()));
        Assert.Null(bodies[0]["allowed_mentions"]!["users"]);
        Assert.Equal("42", bodies[1]["allowed_mentions"]!["users"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateMessage_ResentWithSameNonceAfterRestart_FakeKeepsOneMessage()
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var message = new OutgoingMessage { Content = "article 7", Nonce = "d-7-c-13" };
        DiscordResult<Message> first;
        await using (var beforeCrash = DiscordTestServices.Build(fake))
        {
            first = await beforeCrash.GetRequiredService<DiscordRestClient>().CreateMessageAsync(13, message, None);
        }

        await using var afterRestart = DiscordTestServices.Build(fake);
        var second = await afterRestart.GetRequiredService<DiscordRestClient>().CreateMessageAsync(13, message, None);

        Assert.Single(fake.MessagesIn(13));
        Assert.Equal(first.Value!.Id, second.Value!.Id);
        Assert.True(fake.MessagesIn(13)[0].Body["enforce_nonce"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(403, 50013, "Missing Permissions", "discord.missing_permissions")]
    [InlineData(403, 50001, "Missing Access", "discord.missing_access")]
    [InlineData(404, 10003, "Unknown Channel", "discord.unknown_channel")]
    public async Task CreateMessage_ChannelRefuses_PermanentAndNoFurtherCalls(int status, int code, string text, string reason)
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var services = DiscordTestServices.Build(fake);
        var client = services.GetRequiredService<DiscordRestClient>();
        fake.FailChannel(14, status, code, text);

        var first = await client.CreateMessageAsync(14, new OutgoingMessage { Content = "a" }, None);
        var requestsAfterFirst = fake.RequestCount;
        var second = await client.CreateMessageAsync(14, new OutgoingMessage { Content = "b" }, None);
        var otherChannel = await client.CreateMessageAsync(15, new OutgoingMessage { Content = "c" }, None);

        Assert.Equal(DiscordErrorKind.Permanent, first.Error!.Kind);
        Assert.Equal(reason, first.Error.Reason);
        Assert.Equal(code, first.Error.Code);
        Assert.Equal("discord.channel_disabled", second.Error!.Reason);
        Assert.True(otherChannel.IsSuccess);
        Assert.Equal(requestsAfterFirst + 1, fake.RequestCount);
        Assert.True(services.GetRequiredService<DiscordRateLimiter>().IsChannelBlocked(14));
    }

    [Fact]
    public async Task AnyRequest_Unauthorized_StopsTheWholeClient()
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var services = DiscordTestServices.Build(fake);
        var client = services.GetRequiredService<DiscordRestClient>();
        fake.RejectAllTokens();

        var first = await client.CreateMessageAsync(16, new OutgoingMessage { Content = "a" }, None);
        var second = await client.GetGatewayBotAsync(None);

        Assert.Equal(DiscordErrorKind.Unauthorized, first.Error!.Kind);
        Assert.Equal("discord.token_rejected", second.Error!.Reason);
        Assert.Equal(1, fake.RequestCount);
        Assert.Equal(1, services.GetRequiredService<DiscordRateLimiter>().InvalidRequestsInWindow);
    }

    [Fact]
    public async Task CreateMessage_BucketExhausted_WaitsForResetInsteadOf429()
    {
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { ChannelBucketSize = 2, ChannelBucketWindow = TimeSpan.FromMilliseconds(300) }, TestContext.Current.CancellationToken);
        await using var services = DiscordTestServices.Build(fake);
        var client = services.GetRequiredService<DiscordRestClient>();

        var results = await Task.WhenAll(Enumerable.Range(0, 7).Select(i => client.CreateMessageAsync(17, new OutgoingMessage { Content = $"m{i}" }, None)));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.ToString()));
        Assert.Equal(7, fake.MessagesIn(17).Count);
        Assert.Empty(fake.RateLimitedByBucket);
        var sent = fake.MessagesIn(17).Select(m => m.ReceivedAt).ToList();
        Assert.True(sent[^1] - sent[0] >= TimeSpan.FromMilliseconds(900), $"7 messages at 2 per 300 ms took only {(sent[^1] - sent[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task CreateMessage_SharedBucketHashOtherChannel_NotHeldBack()
    {
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { ChannelBucketSize = 2, ChannelBucketWindow = TimeSpan.FromSeconds(3) }, TestContext.Current.CancellationToken);
        await using var services = DiscordTestServices.Build(fake);
        var client = services.GetRequiredService<DiscordRestClient>();
        var limiter = services.GetRequiredService<DiscordRateLimiter>();
        await client.CreateMessageAsync(31, new OutgoingMessage { Content = "a" }, None);
        await client.CreateMessageAsync(31, new OutgoingMessage { Content = "b" }, None);

        var waiting = client.CreateMessageAsync(31, new OutgoingMessage { Content = "c" }, None);
        var other = await client.CreateMessageAsync(32, new OutgoingMessage { Content = "d" }, None);

        Assert.True(other.IsSuccess);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(limiter.BucketHashFor(DiscordRoute.CreateMessage(31, false)), limiter.BucketHashFor(DiscordRoute.CreateMessage(32, false)));
        Assert.NotNull(limiter.BucketHashFor(DiscordRoute.CreateMessage(32, false)));
        Assert.True((await waiting).IsSuccess);
    }

    [Fact]
    public async Task CreateMessage_Oversized_TrimmedSoDiscordAccepts()
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var services = DiscordTestServices.Build(fake);
        var client = services.GetRequiredService<DiscordRestClient>();
        var longText = string.Join(' ', Enumerable.Repeat("word", 3000));
        var embeds = Enumerable.Range(0, 12).Select(_ => new Embed
        {
            Title = longText,
            Description = longText,
            Fields = [.. Enumerable.Range(0, 30).Select(_ => new EmbedField { Name = longText, Value = longText })],
            Footer = new EmbedFooter { Text = longText },
            Author = new EmbedAuthor { Name = longText },
        }).ToList();

        var result = await client.CreateMessageAsync(18, new OutgoingMessage { Content = longText, Embeds = embeds }, None);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        var body = Assert.Single(fake.MessagesIn(18)).Body;
        Assert.EndsWith("…", body["content"]!.GetValue<string>());
        Assert.InRange(body["content"]!.GetValue<string>().Length, 1990, 2000);
    }

    [Fact]
    public async Task InteractionCallback_EphemeralReply_RecordedWithoutBotToken()
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var services = DiscordTestServices.Build(fake);
        var client = services.GetRequiredService<DiscordRestClient>();

        var reply = await client.CreateInteractionResponseAsync(99, "itoken", InteractionResponse.Reply(new OutgoingMessage { Content = "done", Flags = MessageFlags.Ephemeral }), None);
        var defer = await client.CreateInteractionResponseAsync(100, "itoken2", InteractionResponse.Defer(ephemeral: true), None);
        var edit = await client.EditOriginalResponseAsync(fake.Options.ApplicationId, "itoken2", new OutgoingMessage { Content = "later" }, None);

        Assert.True(reply.IsSuccess && defer.IsSuccess && edit.IsSuccess);
        var callbacks = fake.Callbacks;
        Assert.Equal(4, callbacks[0].Body["type"]!.GetValue<int>());
        Assert.Equal(64, callbacks[0].Body["data"]!["flags"]!.GetValue<int>());
        Assert.Empty(callbacks[0].Body["data"]!["allowed_mentions"]!["parse"]!.AsArray());
        Assert.Equal(5, callbacks[1].Body["type"]!.GetValue<int>());
        Assert.Equal("PATCH", Assert.Single(fake.WebhookCalls).Method);
        Assert.Empty(fake.Violations);
    }

    [Fact]
    public async Task BulkOverwrite_GuildCommands_ReturnsAssignedIds()
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var services = DiscordTestServices.Build(fake);
        var client = services.GetRequiredService<DiscordRestClient>();
        ApplicationCommand[] commands = [new() { Name = "latest", Description = "Latest articles", Contexts = [0], DefaultMemberPermissions = "32" }];

        var result = await client.BulkOverwriteCommandsAsync(fake.Options.ApplicationId, 77, commands, None);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.NotNull(Assert.Single(result.Value).Id);
        var recorded = Assert.Single(fake.CommandSets);
        Assert.Equal(77UL, recorded.GuildId);
        Assert.Equal("32", recorded.Commands[0]!["default_member_permissions"]!.GetValue<string>());
    }

    [Fact]
    public async Task GatewayBotAndApplication_Read_ParseSnowflakesAndLimits()
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var services = DiscordTestServices.Build(fake);
        var client = services.GetRequiredService<DiscordRestClient>();

        var gateway = await client.GetGatewayBotAsync(None);
        var application = await client.GetCurrentApplicationAsync(None);

        Assert.Equal(fake.GatewayUrl, gateway.Value!.Url);
        Assert.Equal(999, gateway.Value.SessionStartLimit.Remaining);
        Assert.Equal(fake.Options.ApplicationId, application.Value!.Id);
    }

    [Fact]
    public async Task Webhook_CreateAndExecute_WaitsForMessage()
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var services = DiscordTestServices.Build(fake);
        var client = services.GetRequiredService<DiscordRestClient>();

        var webhook = await client.CreateWebhookAsync(19, "NewsBot feed", None);
        var posted = await client.ExecuteWebhookAsync(webhook.Value!.Id, webhook.Value.Token!, new OutgoingMessage { Content = "hi", Username = "Feed" }, None);

        Assert.True(posted.IsSuccess, posted.Error?.ToString());
        var call = Assert.Single(fake.WebhookCalls);
        Assert.EndsWith("?wait=true", call.Path);
        Assert.Equal("Feed", call.Body["username"]!.GetValue<string>());
    }
}
