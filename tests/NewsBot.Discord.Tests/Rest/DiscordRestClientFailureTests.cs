using Microsoft.Extensions.DependencyInjection;
using NewsBot.Discord.Rest;
using NewsBot.Fakes.Discord;

namespace NewsBot.Discord.Tests.Rest;

public sealed class DiscordRestClientFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_BadGatewayTwice_RetriedWithBackoff()
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Build(fake);
        fake.FailNextRequests(502, 2);

        var result = await services.GetRequiredService<DiscordRestClient>().GetGatewayBotAsync(Ct);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(3, fake.RequestCount);
    }

    [Fact]
    public async Task CreateMessage_ServerErrorWithoutNonce_NotRetried()
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Build(fake);
        fake.FailNextRequests(500, 1);

        var result = await services.GetRequiredService<DiscordRestClient>().CreateMessageAsync(21, new OutgoingMessage { Content = "x" }, Ct);

        Assert.Equal(DiscordErrorKind.Transient, result.Error!.Kind);
        Assert.Equal(1, fake.RequestCount);
        Assert.Empty(fake.Messages);
    }

    [Fact]
    public async Task CreateMessage_ServerErrorWithNonce_RetriedOnce()
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Build(fake);
        fake.FailNextRequests(500, 1);

        var result = await services.GetRequiredService<DiscordRestClient>().CreateMessageAsync(22, new OutgoingMessage { Content = "x", Nonce = "n1" }, Ct);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Single(fake.MessagesIn(22));
    }

    [Fact]
    public async Task CreateMessage_FakeGlobalLimitBelowClients_Global429sWaitedOutAndEverythingArrives()
    {
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { GlobalLimitPerSecond = 10 }, Ct);
        await using var services = DiscordTestServices.Build(fake, o => o.GlobalRequestsPerSecond = 1000);
        var client = services.GetRequiredService<DiscordRestClient>();

        var results = await Task.WhenAll(Enumerable.Range(0, 25).Select(i =>
            client.CreateMessageAsync(300 + (ulong)i, new OutgoingMessage { Content = $"m{i}", Nonce = $"g{i}" }, Ct)));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.ToString()));
        Assert.Equal(25, fake.Messages.Count);
        Assert.True(fake.GlobalRateLimitedCount >= 1);
        Assert.Equal(fake.GlobalRateLimitedCount, services.GetRequiredService<DiscordRateLimiter>().RateLimitedResponses);
    }

    [Fact]
    public async Task CreateMessage_QueuedBehindA403_NotSent()
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Build(fake);
        var client = services.GetRequiredService<DiscordRestClient>();
        fake.FailChannel(26, 403, 50001, "Missing Access");

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => client.CreateMessageAsync(26, new OutgoingMessage { Content = $"m{i}" }, Ct)));

        Assert.Equal(1, fake.RequestCount);
        Assert.Equal(4, results.Count(r => r.Error?.Reason == "discord.channel_disabled"));
    }

    [Fact]
    public async Task AnyRequest_InvalidRequestBudgetUsed_RefusedLocally()
    {
        await using var fake = await FakeDiscordServer.StartAsync(cancellationToken: Ct);
        await using var services = DiscordTestServices.Build(fake, o => o.InvalidRequestBudgetFraction = 0.0002);
        var client = services.GetRequiredService<DiscordRestClient>();
        fake.FailChannel(23, 403, 50013, "Missing Permissions");
        fake.FailChannel(24, 403, 50013, "Missing Permissions");

        await client.CreateMessageAsync(23, new OutgoingMessage { Content = "a" }, Ct);
        await client.CreateMessageAsync(24, new OutgoingMessage { Content = "b" }, Ct);
        var refused = await client.CreateMessageAsync(25, new OutgoingMessage { Content = "c" }, Ct);

        Assert.Equal("discord.invalid_request_budget", refused.Error!.Reason);
        Assert.Equal(2, fake.RequestCount);
        Assert.Equal(2, services.GetRequiredService<DiscordRateLimiter>().InvalidRequestsInWindow);
    }
}
