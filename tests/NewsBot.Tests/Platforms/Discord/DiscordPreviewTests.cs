using System.Globalization;
using System.Text.Json.Nodes;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Tests.Platforms.Discord;

public sealed class DiscordPreviewTests
{
    [Fact]
    public async Task SubscribePreview_ShowsTemplatedPostWithMentionsThatDoNotPing_AndPostsNothing()
    {
        await using var bot = await DiscordPublishingEndToEndTests.StartWithFeedAsync();
        await DiscordPublishingEndToEndTests.PublishItemsAsync(bot, 1, "Storm warning");
        var preview = await bot.CommandAsync("subscribe", new JsonObject
        {
            ["target"] = DiscordPublishingEndToEndTests.FeedName,
            ["template"] = "**{{ title }}**",
            ["embed_footer"] = "{{ source }}",
            ["mention"] = "<@&4242>",
            ["preview"] = true,
        });
        await bot.WaitAsync(() => bot.CallbackFor(preview) is not null, "preview answer");

        var data = bot.CallbackFor(preview)!.Body["data"]!;
        Assert.Equal(64, data["flags"]!.GetValue<int>());
        Assert.Contains("<@&4242>", data["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(data["allowed_mentions"]!["parse"]!.AsArray());
        Assert.Null(data["allowed_mentions"]!["roles"]);
        var embed = Assert.Single(data["embeds"]!.AsArray())!;
        Assert.Equal("**Storm warning**", embed["description"]!.GetValue<string>());
        Assert.Equal(DiscordPublishingEndToEndTests.FeedName, embed["footer"]!["text"]!.GetValue<string>());

        Assert.Empty(bot.Fake.MessagesIn(DiscordBotHarness.ChannelId));
        var channel = await bot.Get<IChannelStore>().GetOrAddAsync(Platform.Discord, DiscordBotHarness.ChannelId.ToString(CultureInfo.InvariantCulture), null, null, null, TestContext.Current.CancellationToken);
        Assert.Empty(await bot.Get<ISubscriptionStore>().ListForChannelAsync(channel.Id, TestContext.Current.CancellationToken));
    }
}
