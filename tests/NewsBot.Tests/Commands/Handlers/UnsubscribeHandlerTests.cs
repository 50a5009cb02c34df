using Microsoft.Extensions.DependencyInjection;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands.Handlers;

public sealed class UnsubscribeHandlerTests
{
    [Theory]
    [InlineData("news", "This channel no longer receives \"news\".")]
    [InlineData("topic:Climate", "This channel no longer receives topic Climate.")]
    [InlineData("all", "This channel no longer receives everything.")]
    public async Task Unsubscribe_Subscribed_RemovesOnlyThatOneAndSaysWhat(string target, string expected)
    {
        using var bed = await HandlerBeds.NewsAsync();
        foreach (var subscribed in new[] { "news", "topic:climate", "all" })
        {
            await bed.RunAsync("subscribe " + subscribed);
        }

        var reply = await bed.RunAsync("unsubscribe " + target);

        Assert.False(reply.IsError, ReplyText.Of(reply));
        Assert.Equal(expected, ReplyText.Of(reply));
        Assert.Equal(2, (await SubscriptionsAsync(bed)).Count);
    }

    [Fact]
    public async Task Unsubscribe_NotSubscribed_RefusedAndTheSubscriptionsHintWorks()
    {
        using var bed = await HandlerBeds.NewsAsync();
        await bed.RunAsync("subscribe all");

        var reply = await bed.RunAsync("unsubscribe news");

        Assert.True(reply.IsError);
        Assert.StartsWith("This channel was not subscribed to \"news\".", ReplyText.Of(reply), StringComparison.Ordinal);
        var list = await HandlerBeds.FollowHintAsync(bed, reply, "/subscriptions");
        Assert.Equal(["all"], HandlerBeds.Lines(list).Select(l => l.Text));
    }

    [Fact]
    public async Task Unsubscribe_UnknownSource_RefusedNamingWhatItTakes()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("unsubscribe nowhere");

        Assert.True(reply.IsError);
        Assert.Equal("No source matches \"nowhere\". Use a source id or name from /sources, topic:<name>, or all.", ReplyText.Of(reply));
    }

    [Fact]
    public async Task Unsubscribe_Member_RefusedAndTheSubscriptionStays()
    {
        using var bed = await HandlerBeds.NewsAsync();
        await bed.RunAsync("subscribe news");

        var reply = await bed.RunAsync("unsubscribe news", admin: false, userId: "9");

        Assert.True(reply.IsError);
        Assert.Equal("/unsubscribe is for admins of this chat only.", ReplyText.Of(reply));
        Assert.Single(await SubscriptionsAsync(bed));
    }

    private static async Task<IReadOnlyList<NewsBot.Model.Subscription>> SubscriptionsAsync(DeliveryTestBed bed) =>
        await bed.Services.GetRequiredService<ISubscriptionStore>().ListForChannelAsync((await bed.ChannelAsync("100")).Id, TestContext.Current.CancellationToken);
}
