using NewsBot.Commands;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands.Handlers;

public sealed class TopicHandlerTests
{
    [Fact]
    public async Task Topic_NameInAnyCase_ItsArticlesNewestFirstUnderTheNameAsTyped()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("topic Climate", admin: false, userId: "9");

        Assert.False(reply.IsError, ReplyText.Of(reply));
        Assert.Equal("On Climate", Assert.IsType<ReplyHeading>(reply.Blocks[0]).Text);
        Assert.Equal(["Rain floods the underpass", "Councils plan for hotter summers"], HandlerBeds.Cards(reply));
    }

    [Fact]
    public async Task Topic_Count_AtMostThatMany()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("topic climate count:1");

        Assert.Equal(["Rain floods the underpass"], HandlerBeds.Cards(reply));
    }

    [Fact]
    public async Task Topic_NoArticles_SaysSoAndTheTopicsHintWorks()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("topic volcanoes", admin: false, userId: "9");

        Assert.False(reply.IsError);
        Assert.StartsWith("No articles on \"volcanoes\" yet.", ReplyText.Of(reply), StringComparison.Ordinal);
        var topics = await HandlerBeds.FollowHintAsync(bed, reply, "/topics", admin: false);
        Assert.Contains("climate", ReplyText.Of(topics), StringComparison.Ordinal);
    }
}
