using NewsBot.Fakes.Telegram;
using NewsBot.Platforms.Telegram;

namespace NewsBot.Tests.Platforms.Telegram;

public class TelegramHtmlTests
{
    [Theory]
    [InlineData("Tom & Jerry", "Tom &amp; Jerry")]
    [InlineData("<b>bold?</b>", "&lt;b&gt;bold?&lt;/b&gt;")]
    [InlineData("&lt; is already an entity", "&amp;lt; is already an entity")]
    [InlineData("\"quotes\" stay in text", "\"quotes\" stay in text")]
    public void Escape_SpecialCharacters_BecomeEntities(string text, string expected) =>
        Assert.Equal(expected, TelegramHtml.Escape(text));

    [Fact]
    public void EscapeAttribute_Quotes_BecomeQuotEntities() =>
        Assert.Equal("https://x.test/?q=&quot;a&quot;&amp;b=&lt;c&gt;", TelegramHtml.EscapeAttribute("https://x.test/?q=\"a\"&b=<c>"));

    [Fact]
    public void Escape_AnyText_ReadsBackUnchangedThroughTelegramsParser()
    {
        const string text = "a<b & c>d &amp; \"e\" &#128; 🎉";

        var parsed = TelegramHtmlValidator.Parse($"<a href=\"{TelegramHtml.EscapeAttribute("https://x.test/?" + text)}\">{TelegramHtml.Escape(text)}</a>");

        Assert.True(parsed.IsValid, parsed.Error);
        Assert.Equal(text, parsed.Text);
    }
}
