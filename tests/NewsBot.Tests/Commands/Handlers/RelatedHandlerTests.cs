using NewsBot.Commands;
using NewsBot.Model;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands.Handlers;

public sealed class RelatedHandlerTests
{
    [Fact]
    public async Task Related_SameStoryInTheArchive_TheArticleThenItsRelativesWithStrengthAndId()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("related 2", admin: false, userId: "9");

        Assert.False(reply.IsError, ReplyText.Of(reply));
        Assert.Equal(["Rain floods the underpass"], HandlerBeds.Cards(reply));
        Assert.Equal("Related", Assert.Single(reply.Blocks.OfType<ReplyHeading>()).Text);
        var line = Assert.Single(HandlerBeds.Lines(reply), l => l.Text == "Rain floods the underpass again; council orders a review");
        Assert.Equal("https://news.example/articles/3", line.Url);
        Assert.Matches("^●[●○]{2} id " + ShortIds.Format(3) + "$", line.Detail);
        // The article itself is never its own relative.
        Assert.DoesNotContain(HandlerBeds.Lines(reply), l => l.Text == "Rain floods the underpass");
    }

    [Fact]
    public async Task Related_NothingSimilar_SaysSo()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        await bed.PublishAsync(await bed.AddSourceAsync("news"), "Bridge reopens after repairs", "Library extends its opening hours");

        var reply = await bed.RunAsync("related 1");

        Assert.False(reply.IsError);
        Assert.Equal("Nothing related to \"Bridge reopens after repairs\" yet.", ReplyText.Of(reply));
    }

    [Fact]
    public async Task Related_NoMatch_RefusedSayingWhatItTakes()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("related qqqqqqqq");

        Assert.True(reply.IsError);
        Assert.Contains("Use the short id shown in a post, a link, or other words.", ReplyText.Of(reply), StringComparison.Ordinal);
    }
}
