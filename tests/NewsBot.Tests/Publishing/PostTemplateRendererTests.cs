using NewsBot.Platforms.Discord;
using NewsBot.Fakes.Telegram;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Platforms.Telegram;

namespace NewsBot.Tests.Publishing;

public sealed class PostTemplateRendererTests
{
    private const string Hostile = "</a></b><b>@everyone **bold** [x](https://evil.example) & \"q\" <i>";

    private static Post Article(string title) => new()
    {
        ShortId = "k3",
        Title = title,
        Url = "https://wire.example/news?a=1&b=2",
        SourceName = "Wire",
        Summary = title + " " + title,
        PublishedAt = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero),
        Topics = ["ai", title],
        Related = [new RelatedLink(title, "https://other.example/1"), new RelatedLink("script", "javascript:alert(1)")],
    };

    [Fact]
    public void Render_Placeholders_AsWrittenInChannelZone()
    {
        var rendered = new PostTemplateRenderer().Render(
            "{{ title | upcase }} — {{ source }}, {{ published }}{% for t in topics %} #{{ t }}{% endfor %}",
            Article("Hello"), "Europe/Berlin", TelegramTemplateEncoder.Instance);

        Assert.Null(rendered.Error);
        Assert.Equal("HELLO — Wire, 1 Jan 2026 13:00 #ai #Hello", rendered.Text);
    }

    [Fact]
    public void Render_Telegram_HostileFeedText_StaysValidHtmlAndShowsLiterally()
    {
        const string Template = "<b><a href=\"{{ link }}\">{{ title }}</a></b>\n{{ summary | truncate: 12 }}\n"
            + "{% for r in related %}<a href=\"{{ r.link }}\">{{ r.title }}</a>{% endfor %} {{ topics | join: ', ' }}";

        var rendered = new PostTemplateRenderer().Render(Template, Article(Hostile), "UTC", TelegramTemplateEncoder.Instance);

        var parsed = TelegramHtmlValidator.Parse(rendered.Text!);
        Assert.True(parsed.IsValid, parsed.Error);
        Assert.StartsWith(Hostile + "\n", parsed.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"https://wire.example/news?a=1&amp;b=2\"", rendered.Text, StringComparison.Ordinal);
        // A javascript: link never reaches the template.
        Assert.DoesNotContain("javascript", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Discord_FeedMarkdownAndMentionsEscaped()
    {
        var rendered = new PostTemplateRenderer().Render("**{{ title }}**", Article("@everyone **bold** [x](y)"), "UTC", DiscordTemplateEncoder.Instance);

        Assert.Equal(@"**\@everyone \*\*bold\*\* \[x\]\(y\)**", rendered.Text);
    }

    [Fact]
    public void Validate_SyntaxError_RefusedWithLineAndReason()
    {
        var error = new PostTemplateRenderer().Validate(new PostTemplate("<b>{{ title }}</b>\n{% if %}yes{% endif %}"));

        Assert.NotNull(error);
        Assert.Matches(@"^text: line 2, column \d+: \S", error);
    }

    [Fact]
    public void Validate_RendersEmpty_Refused()
    {
        Assert.Equal("title: renders empty", new PostTemplateRenderer().Validate(new PostTemplate("{{ title }}", Title: "{% if false %}x{% endif %}")));
        Assert.Null(new PostTemplateRenderer().Validate(new PostTemplate("{{ title }}")));
    }

    [Fact]
    public void RenderForPost_RenderFailure_DefaultLayoutAndReportedOnce()
    {
        var templates = new PostTemplateRenderer();
        var post = Article("Hello") with { SubscriptionId = 7 };
        const string Looping = "{% for i in (1..100000) %}{{ title }}{% endfor %}";

        Assert.Null(templates.RenderForPost(Looping, post, "UTC", TelegramTemplateEncoder.Instance, TelegramRenderer.MaxMessageLength));
        Assert.Null(templates.RenderForPost(Looping, post with { ShortId = "k4" }, "UTC", TelegramTemplateEncoder.Instance, TelegramRenderer.MaxMessageLength));

        var failure = Assert.Single(templates.Failures);
        Assert.Equal(7, failure.Key);
        Assert.EndsWith("(article k3)", failure.Value, StringComparison.Ordinal);
    }
}
