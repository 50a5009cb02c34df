using NewsBot.Commands;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands.Handlers;

public sealed class TopicsHandlerTests
{
    [Fact]
    public async Task Topics_SharedTopicInTheWindow_RankedWithItsCountAndTheTopicHintWorks()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("topics", admin: false, userId: "9");

        Assert.False(reply.IsError, ReplyText.Of(reply));
        Assert.Equal("Trending, last 24 hours", Assert.IsType<ReplyHeading>(reply.Blocks[0]).Text);
        var line = Assert.Single(HandlerBeds.Lines(reply));
        Assert.Equal(("climate", "articles: 2"), (line.Text, line.Detail));
        var topic = await HandlerBeds.FollowHintAsync(bed, reply, "/topic <name>", "/topic climate", admin: false);
        Assert.Equal(2, HandlerBeds.Cards(topic).Count);
    }

    [Fact]
    public async Task Topics_SevenDays_CountsArticlesOlderThanADay()
    {
        using var bed = await HandlerBeds.NewsAsync();
        bed.Clock.Advance(TimeSpan.FromDays(3));

        var day = ReplyText.Of(await bed.RunAsync("topics 24h"));
        var week = await bed.RunAsync("topics 7d");

        Assert.Equal("No articles in that window yet.", day);
        Assert.Equal("Trending, last 7 days", Assert.IsType<ReplyHeading>(week.Blocks[0]).Text);
        Assert.Equal("climate", Assert.Single(HandlerBeds.Lines(week)).Text);
    }

    [Fact]
    public async Task Topics_ArticlesButNoSharedTopic_NothingTrending()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        await bed.PublishAsync(await bed.AddSourceAsync("news"), ("Bridge reopens", null, ["roads"]), ("Library hours", null, ["culture"]));
        bed.Clock.Advance(TimeSpan.FromMinutes(1));

        var reply = await bed.RunAsync("topics");

        Assert.False(reply.IsError);
        Assert.Equal("Nothing is trending yet: too few articles share a topic.", ReplyText.Of(reply));
    }
}
