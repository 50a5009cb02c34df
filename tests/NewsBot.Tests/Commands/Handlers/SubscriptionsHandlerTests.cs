using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands.Handlers;

public sealed class SubscriptionsHandlerTests
{
    [Fact]
    public async Task Subscriptions_NoneYet_SaysSoAndTheSubscribeHintWorks()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("subscriptions", admin: false, userId: "9");

        Assert.False(reply.IsError);
        Assert.Contains("receives nothing yet", ReplyText.Of(reply), StringComparison.Ordinal);
        await HandlerBeds.FollowHintAsync(bed, reply, "/subscribe <source|topic:name|all>", "/subscribe all");
        Assert.Equal(["all"], HandlerBeds.Lines(await bed.RunAsync("subscriptions")).Select(l => l.Text));
    }

    [Fact]
    public async Task Subscriptions_Several_EachWithItsSettingsThenTheChannelsLimits()
    {
        using var bed = await HandlerBeds.NewsAsync();
        await bed.RunAsync("subscribe news include:rain exclude:review format:compact digest:daily");
        await bed.RunAsync("subscribe topic:climate summary_language:de");
        await bed.RunAsync("settings max_per_hour:5 quiet:22:00-06:30 timezone:Europe/Berlin");

        var reply = await bed.RunAsync("subscriptions", admin: false, userId: "9");

        Assert.Equal(
            [("news", "only rain; not review; compact; digest: daily"), ("topic:climate", "full; summaries in Deutsch")],
            HandlerBeds.Lines(reply).Select(l => (l.Text, l.Detail)));
        Assert.EndsWith("At most 5 posts an hour, quiet 22:00-06:30 Europe/Berlin.", ReplyText.Of(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscriptions_AnotherChannel_OnlyThatChannels()
    {
        using var bed = await HandlerBeds.NewsAsync();
        await bed.RunAsync("subscribe news", channelId: "200");

        Assert.Contains("receives nothing yet", ReplyText.Of(await bed.RunAsync("subscriptions")), StringComparison.Ordinal);
        Assert.Equal(["news"], HandlerBeds.Lines(await bed.RunAsync("subscriptions", channelId: "200")).Select(l => l.Text));
    }
}
