using NewsBot.Commands;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands.Handlers;

public sealed class LatestHandlerTests
{
    [Fact]
    public async Task Latest_NoOptions_FiveNewestFirst()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await bed.AddSourceAsync("news");
        await bed.PublishAsync(source, Enumerable.Range(1, 7).Select(i => $"Story {i}").ToArray());

        var reply = await bed.RunAsync("latest");

        Assert.False(reply.IsError, ReplyText.Of(reply));
        Assert.Equal("Latest news", Assert.IsType<ReplyHeading>(reply.Blocks[0]).Text);
        Assert.Equal(["Story 7", "Story 6", "Story 5", "Story 4", "Story 3"], HandlerBeds.Cards(reply));
    }

    [Fact]
    public async Task Latest_SourceAndCount_ThatSourcesNewestOnly()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        await bed.PublishAsync(await bed.AddSourceAsync("news"), "News one", "News two");
        await bed.PublishAsync(await bed.AddSourceAsync("wire"), "Wire one", "Wire two", "Wire three");
        await bed.PublishAsync(await bed.AddSourceAsync("other"), "Other one");

        var reply = await bed.RunAsync("latest source:wire count:2");

        Assert.Equal(["Wire three", "Wire two"], HandlerBeds.Cards(reply));
    }

    [Fact]
    public async Task Latest_Topic_ThatTopicsArticlesUnderItsName()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("latest climate");

        Assert.Equal("Latest on climate", Assert.IsType<ReplyHeading>(reply.Blocks[0]).Text);
        Assert.Equal(["Rain floods the underpass", "Councils plan for hotter summers"], HandlerBeds.Cards(reply));
    }

    [Fact]
    public async Task Latest_NoArticlesYet_SaysSoAndTheSourcesHintWorks()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        await bed.AddSourceAsync("news");

        var reply = await bed.RunAsync("latest", admin: false, userId: "9");

        Assert.False(reply.IsError);
        Assert.StartsWith("No articles yet.", ReplyText.Of(reply), StringComparison.Ordinal);
        var sources = await HandlerBeds.FollowHintAsync(bed, reply, "/sources", admin: false);
        Assert.Contains("1. news", ReplyText.Of(sources), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Latest_TopicWithoutArticles_SaysSoAndTheTopicsHintWorks()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("latest volcanoes", admin: false, userId: "9");

        Assert.False(reply.IsError);
        Assert.StartsWith("No articles on \"volcanoes\" yet.", ReplyText.Of(reply), StringComparison.Ordinal);
        await HandlerBeds.FollowHintAsync(bed, reply, "/topics", admin: false);
    }

    [Fact]
    public async Task Latest_UnknownSource_RefusedAndTheSourcesHintListsTheRealOnes()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("latest source:nowhere", admin: false, userId: "9");

        Assert.True(reply.IsError);
        Assert.Empty(HandlerBeds.Cards(reply));
        Assert.Contains("No source matches \"nowhere\"", ReplyText.Of(reply), StringComparison.Ordinal);
        var sources = await HandlerBeds.FollowHintAsync(bed, reply, "/sources", admin: false);
        Assert.Contains("1. news", ReplyText.Of(sources), StringComparison.Ordinal);
    }
}
