using NewsBot.Commands;
using NewsBot.Fakes.Telegram;
using NewsBot.Model;
using NewsBot.Platforms.Telegram;

namespace NewsBot.Tests.Platforms.Telegram;

public sealed class TelegramReplyRendererTests
{
    [Fact]
    public void Render_EveryBlockKind_ValidHtmlInBlockOrder()
    {
        var article = new Post { ShortId = "k3", Title = "Rates <up> & away", Url = "https://news.example/r", SourceName = "Wire", Summary = "Full text." };
        var reply = new CommandReply([
            new ReplyHeading("Latest <news>"),
            new ReplyList([new ReplyLine("Local", "https://local.example/", "3 new"), new ReplyLine("Paused one", Detail: "since Monday")]),
            new ReplyArticles([article]),
            new ReplyCode("/subscribe all"),
            new ReplyArticleDetail(article),
            new ReplyParagraph("Done & dusted."),
        ]);

        var messages = TelegramReplyRenderer.Render(reply);

        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => Assert.True(TelegramHtmlValidator.Parse(m).IsValid, m));
        var list = TelegramHtmlValidator.Parse(messages[0]).Text;
        Assert.Equal(["Latest <news>", "• Local — 3 new", "• Paused one — since Monday", "• Rates <up> & away — Wire · k3", "/subscribe all"], list.Split('\n').Where(l => l.Length > 0));
        Assert.Contains("<a href=\"https://local.example/\">", messages[0], StringComparison.Ordinal);
        Assert.StartsWith("Rates <up> & away", TelegramHtmlValidator.Parse(messages[1]).Text, StringComparison.Ordinal);
        Assert.Equal("Done & dusted.", TelegramHtmlValidator.Parse(messages[2]).Text.Trim());
    }
}
