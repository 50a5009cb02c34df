using NewsBot.Commands;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands.Handlers;

public sealed class SummaryHandlerTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("https://news.example/articles/1")]
    [InlineData("hotter summers")]
    public async Task Summary_ShortIdLinkOrWords_ThatArticleInFull(string article)
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("summary " + article, admin: false, userId: "9");

        var detail = Assert.IsType<ReplyArticleDetail>(Assert.Single(reply.Blocks));
        Assert.Equal("Councils plan for hotter summers", detail.Article.Title);
        Assert.Contains("Cities prepare shade and water.", detail.Article.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_NoMatch_RefusedSayingWhatItTakes()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("summary zzzz", admin: false, userId: "9");

        Assert.True(reply.IsError);
        Assert.Equal("No article matches \"zzzz\". Use the short id shown in a post, a link, or other words.", ReplyText.Of(reply));
    }
}
