using System.Text;
using NewsBot.Commands;
using NewsBot.Fakes.Telegram;
using NewsBot.Model;
using NewsBot.Platforms.Telegram;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;
using NewsBot.Localization;

namespace NewsBot.Tests.Platforms.Telegram;

public class TelegramRendererTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Post Sample() => new()
    {
        ShortId = "a1b2c3",
        Title = "Rust 2.0 released",
        Url = "https://example.com/rust-2",
        SourceName = "Example News",
        PublishedAt = new DateTimeOffset(2026, 11, 26, 7, 30, 0, TimeSpan.FromHours(1)),
        Summary = "The new release is out.\n\nIt brings many changes.",
        Topics = ["Programming Languages", "rust-lang"],
        Related = [new RelatedLink("Release notes", "https://example.com/notes")],
        AlsoCoveredBy = [new RelatedLink("Other Daily", "https://other.test/rust")],
    };

    [Fact]
    public void Render_FullPost_LaysOutEveryPart()
    {
        var message = Assert.Single(TelegramRenderer.RenderPost(Sample()));

        Assert.Equal(
            "<b><a href=\"https://example.com/rust-2\">Rust 2.0 released</a></b>\n<i>Example News · 26 Nov 2026 06:30 UTC</i>\n\n"
            + "The new release is out.\n\nIt brings many changes.\n\n"
            + "#Programming_Languages #rust_lang\n\n"
            + "<b>Related:</b>\n• <a href=\"https://example.com/notes\">Release notes</a>\n\n"
            + "<i>Also covered by: </i><a href=\"https://other.test/rust\">Other Daily</a>\n\n"
            + "<code>a1b2c3</code>",
            message);
        AssertValid(message);
    }

    [Fact]
    public void Render_ChannelInJapanese_LabelsAndDateInJapanese()
    {
        var message = Assert.Single(TelegramRenderer.RenderPost(Sample(), Texts.For("ja")));

        Assert.Contains("<i>Example News · 2026年11月26日 6:30 UTC</i>", message, StringComparison.Ordinal);
        Assert.Contains("<b>関連：</b>", message, StringComparison.Ordinal);
        Assert.Contains("<i>ほかの報道： </i>", message, StringComparison.Ordinal);
        AssertValid(message);
    }

    [Fact]
    public void Render_TitleFullOfMarkupAndEmoji_EscapedAndShownVerbatim()
    {
        const string title = "<b>Tom & Jerry</b> &amp; 🎉👩‍💻 </a>";

        var message = Assert.Single(TelegramRenderer.RenderPost(Sample() with { Title = title, SourceName = "<i>Src</i>" }));

        var visible = AssertValid(message);
        Assert.StartsWith(title + "\n<i>Src</i> · ", visible, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TitleWithLineBreaksAndNoBreakSpace_OneLineKeepingNoBreakSpace()
    {
        var message = Assert.Single(TelegramRenderer.RenderPost(Sample() with { Title = "Verglas\u00A0: accidents\r\n   en série\t" }));

        Assert.StartsWith("Verglas\u00A0: accidents en série\n", AssertValid(message), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UrlWithQuotes_EscapedInsideHref()
    {
        const string url = "https://example.com/search?q=\"rust\"&page=<2>";

        var message = Assert.Single(TelegramRenderer.RenderPost(Sample() with { Url = url }));

        Assert.Contains("href=\"https://example.com/search?q=&quot;rust&quot;&amp;page=&lt;2&gt;\"", message, StringComparison.Ordinal);
        AssertValid(message);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("/relative/path")]
    [InlineData("not a url")]
    public void Render_NonHttpUrl_TitleNotLinked(string url)
    {
        var message = Assert.Single(TelegramRenderer.RenderPost(Sample() with { Url = url, Related = [], AlsoCoveredBy = [] }));

        Assert.DoesNotContain("<a", message, StringComparison.Ordinal);
        Assert.StartsWith("<b>Rust 2.0 released</b>", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Machine Learning", "#Machine_Learning")]
    [InlineData("C#", "#C")]
    [InlineData("東京", "#東京")]
    [InlineData("AI/ML 🔥", "#AIML")]
    [InlineData("🔥", null)]
    [InlineData("2026", null)]
    public void Hashtag_Topic_SanitisedToLettersDigitsUnderscore(string topic, string? expected) =>
        Assert.Equal(expected, TelegramRenderer.Hashtag(topic));

    [Fact]
    public void Render_9000CharacterPost_SplitsAtParagraphsIntoValidMessages()
    {
        var paragraphs = Enumerable.Range(0, 30).Select(i => $"Paragraph {i}: " + Words(280, seed: i)).ToArray();
        var post = Sample() with { Summary = string.Join("\n\n", paragraphs) };

        var messages = TelegramRenderer.RenderPost(post);

        Assert.InRange(messages.Sum(m => AssertValid(m).Length), 9000, 10_000);
        Assert.Equal(3, messages.Count);
        var visible = string.Join("\n\n", messages.Select(AssertValid));
        Assert.All(paragraphs, p => Assert.Contains(p, visible, StringComparison.Ordinal));
        Assert.All(messages.Skip(1), m => Assert.StartsWith("Paragraph ", m, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_OneHugeParagraph_SplitsAtSpacesKeepingEveryWord()
    {
        var summary = Words(9000, seed: 1);

        var messages = TelegramRenderer.RenderPost(Sample() with { Summary = summary });

        // A cut drops the one space it happens at; joining with a space puts it back.
        var visible = string.Join(' ', messages.Select(AssertValid)).Replace('\n', ' ');
        Assert.Equal(3, messages.Count);
        Assert.Contains(summary, visible, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HugeLinkedTitleWithoutSpaces_CutInsideTheRunNotInsideTags()
    {
        var title = string.Concat(Enumerable.Repeat("🎉&<", 2500));

        var messages = TelegramRenderer.RenderPost(Sample() with { Title = title });

        Assert.True(messages.Count >= 3);
        Assert.All(messages, m => AssertValid(m));
        Assert.Equal(title, string.Concat(messages.Select(m => AssertValid(m))).Split('\n')[0]);
        Assert.All(messages.Take(2), m => Assert.StartsWith("<b><a href=\"https://example.com/rust-2\">", m, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_Compact_OneLineWithSourceAndId()
    {
        var message = Assert.Single(TelegramRenderer.RenderPost(Sample() with { Format = PostFormat.Compact }));

        Assert.Equal("<b><a href=\"https://example.com/rust-2\">Rust 2.0 released</a></b> — Example News <code>a1b2c3</code>", message);
    }

    [Fact]
    public void Render_LargeDigest_SplitsBetweenItems()
    {
        var items = Enumerable.Range(0, 200).Select(i => Sample() with { ShortId = $"id{i}", Title = $"Story {i} " + Words(8, seed: i) }).ToList();

        var messages = TelegramRenderer.RenderDigest(new DigestPost("Today's <news>", items));

        Assert.StartsWith("<b>Today's &lt;news&gt;</b>\n\n• ", messages[0], StringComparison.Ordinal);
        Assert.True(messages.Count > 1);
        Assert.All(messages.Skip(1), m => Assert.StartsWith("• ", m, StringComparison.Ordinal));
        var lines = messages.SelectMany(m => AssertValid(m).Split('\n')).Where(l => l.StartsWith("• ", StringComparison.Ordinal)).ToList();
        Assert.Equal(200, lines.Count);
        Assert.All(lines.Select((line, i) => (line, i)), x => Assert.EndsWith($"— Example News id{x.i}", x.line, StringComparison.Ordinal));
    }

    [Fact]
    public void RenderBlocks_Blocks_HeadingsOpenParagraphs()
    {
        TelegramRenderer.Block[] blocks =
        [
            new TelegramRenderer.Block.Heading("Sources (2)"),
            new TelegramRenderer.Block.Link("Example <News>", "https://example.com/feed", "(paused)"),
            new TelegramRenderer.Block.Line("Other & more"),
            new TelegramRenderer.Block.Heading("Next"),
            new TelegramRenderer.Block.Code("/subscribe <url>"),
        ];

        var message = Assert.Single(TelegramRenderer.RenderBlocks(blocks));

        Assert.Equal(
            "<b>Sources (2)</b>\n<a href=\"https://example.com/feed\">Example &lt;News&gt;</a> (paused)\nOther &amp; more\n\n"
            + "<b>Next</b>\n<code>/subscribe &lt;url&gt;</code>",
            message);
    }

    [Fact]
    public async Task Render_SplitPost_AcceptedByTheFakeThroughTheRealClient()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        var post = Sample() with { Title = "<b>Tom & \"Jerry\"</b> 🎉", Summary = Words(9000, seed: 3) };

        foreach (var message in TelegramRenderer.RenderPost(post))
        {
            await telegram.Bot.SendMessage(chatId: 1, text: message, parseMode: ParseMode.Html, cancellationToken: Ct);
        }

        Assert.Equal(3, telegram.Fake.SentMessages.Count);
        Assert.StartsWith("<b>Tom & \"Jerry\"</b> 🎉", telegram.Fake.SentMessages[0].VisibleText, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderReply_EveryBlockKind_ValidHtmlInBlockOrder()
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

        var messages = TelegramRenderer.RenderReply(reply);

        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => Assert.True(TelegramHtmlValidator.Parse(m).IsValid, m));
        var list = TelegramHtmlValidator.Parse(messages[0]).Text;
        Assert.Equal(["Latest <news>", "• Local — 3 new", "• Paused one — since Monday", "• Rates <up> & away — Wire · k3", "/subscribe all"], list.Split('\n').Where(l => l.Length > 0));
        Assert.Contains("<a href=\"https://local.example/\">", messages[0], StringComparison.Ordinal);
        Assert.StartsWith("Rates <up> & away", TelegramHtmlValidator.Parse(messages[1]).Text, StringComparison.Ordinal);
        Assert.Equal("Done & dusted.", TelegramHtmlValidator.Parse(messages[2]).Text.Trim());
    }

    [Theory]
    [InlineData("Tom & Jerry", "Tom &amp; Jerry")]
    [InlineData("<b>bold?</b>", "&lt;b&gt;bold?&lt;/b&gt;")]
    [InlineData("&lt; is already an entity", "&amp;lt; is already an entity")]
    [InlineData("\"quotes\" stay in text", "\"quotes\" stay in text")]
    public void Escape_SpecialCharacters_BecomeEntities(string text, string expected) =>
        Assert.Equal(expected, TelegramRenderer.Escape(text));

    [Fact]
    public void EscapeAttribute_Quotes_BecomeQuotEntities() =>
        Assert.Equal("https://x.test/?q=&quot;a&quot;&amp;b=&lt;c&gt;", TelegramRenderer.EscapeAttribute("https://x.test/?q=\"a\"&b=<c>"));

    [Fact]
    public void Escape_AnyText_ReadsBackUnchangedThroughTelegramsParser()
    {
        const string text = "a<b & c>d &amp; \"e\" &#128; 🎉";

        var parsed = TelegramHtmlValidator.Parse($"<a href=\"{TelegramRenderer.EscapeAttribute("https://x.test/?" + text)}\">{TelegramRenderer.Escape(text)}</a>");

        Assert.True(parsed.IsValid, parsed.Error);
        Assert.Equal(text, parsed.Text);
    }

    /// <summary>Parses like Telegram; returns the visible text after checking it fits one message.</summary>
    private static string AssertValid(string html)
    {
        var parsed = TelegramHtmlValidator.Parse(html);
        Assert.True(parsed.IsValid, parsed.Error);
        Assert.InRange(parsed.Text.Length, 1, TelegramRenderer.MaxMessageLength);
        Assert.False(parsed.Text.Length > 0 && char.IsHighSurrogate(parsed.Text[^1]), "A surrogate pair was cut.");
        return parsed.Text;
    }

    /// <summary>Deterministic text of about <paramref name="length"/> characters, words of 1–9 letters plus markup characters.</summary>
    private static string Words(int length, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        while (text.Length < length)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(random.Next(20) switch
            {
                0 => "&",
                1 => "<tag>",
                2 => "ünïcödé",
                3 => "🎉",
                _ => new string((char)('a' + random.Next(26)), random.Next(1, 10)),
            });
        }

        return text.ToString();
    }
}
