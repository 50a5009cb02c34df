using NewsBot.Commands;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands.Handlers;

public sealed class SearchHandlerTests
{
    [Fact]
    public async Task Search_Words_MatchingArticlesUnderTheQuery()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("search underpass", admin: false, userId: "9");

        Assert.False(reply.IsError, ReplyText.Of(reply));
        Assert.Equal("Search: underpass", Assert.IsType<ReplyHeading>(reply.Blocks[0]).Text);
        Assert.Equal(
            ["Rain floods the underpass", "Rain floods the underpass again; council orders a review"],
            HandlerBeds.Cards(reply).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Search_Count_AtMostThatMany()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("search underpass count:1");

        Assert.Single(HandlerBeds.Cards(reply));
    }

    [Fact]
    public async Task Search_QuerySyntaxTyped_ReadAsWordsNotAFailure()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("search \"underpass OR (NEAR* ^ -");

        Assert.DoesNotContain("failed on our side", ReplyText.Of(reply), StringComparison.Ordinal);
        Assert.False(reply.IsError, ReplyText.Of(reply));
    }

    [Fact]
    public async Task Search_NothingFound_SaysSoAndTheLatestHintWorks()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("search zebra", admin: false, userId: "9");

        Assert.False(reply.IsError);
        Assert.Empty(HandlerBeds.Cards(reply));
        Assert.StartsWith("Nothing found for \"zebra\".", ReplyText.Of(reply), StringComparison.Ordinal);
        var latest = await HandlerBeds.FollowHintAsync(bed, reply, "/latest", admin: false);
        Assert.Equal(3, HandlerBeds.Cards(latest).Count);
    }
}
