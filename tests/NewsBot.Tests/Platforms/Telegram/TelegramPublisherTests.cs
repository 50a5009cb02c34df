using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Fakes.Telegram;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Platforms.Telegram;

namespace NewsBot.Tests.Platforms.Telegram;

/// <summary>The publisher alone, with the real client, against the fake Bot API.</summary>
public sealed class TelegramPublisherTests : IAsyncDisposable
{
    private const long Chat = -1002000000001;
    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private readonly PostTemplateRenderer _templates = new();
    private FakeTelegramServer? _fake;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publish_NineThousandCharacterPost_SplitsIntoOrderedValidMessages()
    {
        var publisher = await StartAsync();
        var words = string.Join(' ', Enumerable.Range(0, 1501).Select(i => $"w{i:D4}"));
        var post = Post(summary: words) with { Silent = true };
        Assert.InRange(words.Length, 9000, 9100);

        var result = await publisher.PublishAsync(Channel(thread: "9"), post, "k1", Ct);

        Assert.Equal(PublishOutcome.Sent, result.Outcome);
        var messages = _fake!.SentMessages;
        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => Assert.InRange(m.VisibleText.Length, 1, TelegramRenderer.MaxMessageLength));
        Assert.All(messages, m => Assert.True(TelegramHtmlValidator.Parse(m.Text).IsValid));
        Assert.All(messages, m => Assert.Equal(9, m.MessageThreadId));
        Assert.All(messages, m => Assert.True(m.DisableNotification));
        Assert.Equal(result.MessageId, messages[0].MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Every word once, in order, across the parts.
        var received = string.Join(' ', messages.Select(m => m.VisibleText)).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.StartsWith('w')).ToList();
        Assert.Equal(words.Split(' '), received);
        // Only the first part may show a preview, and it previews the article.
        Assert.Equal("https://news.example/a", messages[0].LinkPreviewOptions?["url"]?.GetValue<string>());
        Assert.All(messages.Skip(1), m => Assert.True(m.LinkPreviewOptions?["is_disabled"]?.GetValue<bool>()));
    }

    [Theory]
    [InlineData(PostFormat.Full, true)]
    [InlineData(PostFormat.Compact, false)]
    public async Task Publish_PostWithImage_LargeArticlePreviewPlacedByFormat(PostFormat format, bool aboveText)
    {
        var publisher = await StartAsync();

        await publisher.PublishAsync(Channel(), Post() with { ImageUrl = "https://img.example/a.jpg", Format = format }, "k", Ct);

        var preview = Assert.Single(_fake!.SentMessages).LinkPreviewOptions!;
        Assert.Equal("https://news.example/a", preview["url"]?.GetValue<string>());
        Assert.True(preview["prefer_large_media"]?.GetValue<bool>());
        Assert.Equal(aboveText, preview["show_above_text"]?.GetValue<bool>() ?? false);
    }

    [Fact]
    public async Task Publish_ImageButNoArticleLink_PreviewsTheImage()
    {
        var publisher = await StartAsync();

        await publisher.PublishAsync(Channel(), Post() with { Url = null, ImageUrl = "https://img.example/a.jpg" }, "k", Ct);

        Assert.Equal("https://img.example/a.jpg", Assert.Single(_fake!.SentMessages).LinkPreviewOptions?["url"]?.GetValue<string>());
    }

    [Fact]
    public async Task Publish_LinkPreviewOff_DisablesPreview()
    {
        var publisher = await StartAsync();

        await publisher.PublishAsync(Channel(), Post() with { LinkPreview = false }, "k", Ct);

        var message = Assert.Single(_fake!.SentMessages);
        Assert.True(message.LinkPreviewOptions?["is_disabled"]?.GetValue<bool>());
        Assert.False(message.DisableNotification);
        Assert.Null(message.MessageThreadId);
    }

    [Theory]
    [InlineData(PublishOutcome.Permanent, "telegram.blocked")]
    [InlineData(PublishOutcome.Moved, "moved")]
    [InlineData(PublishOutcome.Failed, "telegram.bad_html")]
    [InlineData(PublishOutcome.Retry, "telegram.server_error")]
    public async Task Publish_Failures_BecomeResults(PublishOutcome outcome, string reason)
    {
        var publisher = await StartAsync();
        _fake!.SetChatFault(Chat, reason switch
        {
            "telegram.blocked" => TelegramFault.BotBlocked,
            "moved" => TelegramFault.Migrated(-1009),
            "telegram.server_error" => TelegramFault.BadGateway,
            _ => new TelegramFault(400, "Bad Request: can't parse entities: unexpected end tag"),
        });

        var result = await publisher.PublishAsync(Channel(), Post(), "k", Ct);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(outcome == PublishOutcome.Moved ? "-1009" : null, result.NewExternalId);
        Assert.Single(_fake.Calls, c => c.Method == "sendMessage");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Publish_RateLimited_WaitsRetryAfterOnceThenSendsOrGivesBack(bool limitedAgain)
    {
        var time = new FakeTimeProvider();
        var publisher = await StartAsync(time: time);
        if (limitedAgain)
        {
            _fake!.SetChatFault(Chat, TelegramFault.TooManyRequests(7));
        }
        else
        {
            _fake!.FailNext("sendMessage", TelegramFault.TooManyRequests(7));
        }

        var publishing = publisher.PublishAsync(Channel(), Post(), "k", Ct);
        await _fake.WaitForCallsAsync("sendMessage", 1, Ct);
        // The wait starts once the client has read the 429, which no event marks: step the clock until the second call.
        var resent = _fake.WaitForCallsAsync("sendMessage", 2, Ct);
        var waited = TimeSpan.Zero;
        while (!resent.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
            waited += TimeSpan.FromMilliseconds(500);
            await Task.WhenAny(resent, Task.Delay(10, Ct));
        }

        var result = await publishing.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.InRange(waited, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(30));
        Assert.Equal(2, _fake.Calls.Count(c => c.Method == "sendMessage"));
        Assert.Equal(limitedAgain ? PublishOutcome.Retry : PublishOutcome.Sent, result.Outcome);
        Assert.Equal(limitedAgain ? TimeSpan.FromSeconds(7) : null, result.RetryAfter);
    }

    [Fact]
    public async Task Publish_TokenRefused_StopsTheAdapterAndHoldsPosts()
    {
        var publisher = await StartAsync(token: "999:WRONG");

        var first = await publisher.PublishAsync(Channel(), Post(), "k", Ct);
        var calls = _fake!.Calls.Count;
        var second = await publisher.PublishAsync(Channel(), Post(), "k", Ct);

        Assert.Equal(PublishOutcome.Retry, first.Outcome);
        Assert.Equal("telegram.unauthorized", second.Reason);
        Assert.Equal(calls, _fake.Calls.Count);
    }

    [Fact]
    public async Task Publish_Template_HostileFeedTextNeverBreaksTheHtml()
    {
        var publisher = await StartAsync();
        const string Hostile = "</a></b><a href=\"tg://x\">@everyone & <i>[x](y)";
        var post = Post() with
        {
            Title = Hostile,
            SourceName = "News <b>",
            PublishedAt = new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.Zero),
            Template = new PostTemplate("<b>{{ title }}</b>\n<a href=\"{{ link }}\">{{ source | upcase }}</a> · {{ published }}"),
        };

        var result = await publisher.PublishAsync(Channel() with { TimeZone = "Europe/Berlin" }, post, "k", Ct);

        Assert.Equal(PublishOutcome.Sent, result.Outcome);
        var message = Assert.Single(_fake!.SentMessages);
        Assert.True(TelegramHtmlValidator.Parse(message.Text).IsValid, TelegramHtmlValidator.Parse(message.Text).Error);
        Assert.Equal(Hostile + "\nNEWS <B> · 1 Jul 2026 12:00", message.VisibleText);
        Assert.Contains("<a href=\"https://news.example/a\">", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_TemplateTooLong_DefaultLayoutAndReportedForStatus()
    {
        var publisher = await StartAsync();
        var post = Post() with { SubscriptionId = 5, Template = new PostTemplate("{% for i in (1..500) %}{{ title }} {% endfor %}") };

        var result = await publisher.PublishAsync(Channel(), post, "k", Ct);

        Assert.Equal(PublishOutcome.Sent, result.Outcome);
        Assert.Contains("Example News", Assert.Single(_fake!.SentMessages).VisibleText, StringComparison.Ordinal);
        Assert.StartsWith("longer than 4096 characters", Assert.Single(_templates.Failures).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_Defaults_FollowTheBotFaq()
    {
        var publisher = new TelegramPublisher(null!, new PostTemplateRenderer(), TimeProvider.System, Options.Create(new TelegramOptions()), NullLogger<TelegramPublisher>.Instance);

        Assert.Equal(new RateLimit(27, TimeSpan.FromSeconds(1)), publisher.GlobalLimit); // 3/s kept for command replies
        Assert.Equal(new RateLimit(3, TimeSpan.FromSeconds(3)), publisher.ChannelLimit(Channel() with { ExternalId = "42" }));
        Assert.Equal(new RateLimit(20, TimeSpan.FromMinutes(1)), publisher.ChannelLimit(Channel() with { ExternalId = "-1001234" }));
    }

    public async ValueTask DisposeAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }

        await _services.DisposeAsync();
    }

    private async Task<TelegramPublisher> StartAsync(string? token = null, TimeProvider? time = null)
    {
        _fake = await FakeTelegramServer.StartAsync(new FakeTelegramServerOptions { RateLimits = FakeTelegramRateLimits.None }, Ct);
        var options = Options.Create(new TelegramOptions { Token = token ?? _fake.Token, ApiBaseUrl = _fake.BaseUrl });
        var bot = new TelegramBot(_services.GetRequiredService<IHttpClientFactory>(), options, NullLogger<TelegramBot>.Instance);
        return new TelegramPublisher(bot, _templates, time ?? TimeProvider.System, options, NullLogger<TelegramPublisher>.Instance);
    }

    private static Channel Channel(string? thread = null) => new() { Platform = Platform.Telegram, ExternalId = Chat.ToString(System.Globalization.CultureInfo.InvariantCulture), ThreadId = thread };

    private static Post Post(string? summary = null) => new()
    {
        ShortId = "a1b2",
        Title = "A long story",
        Url = "https://news.example/a",
        SourceName = "Example News",
        Summary = summary ?? "Short.",
    };
}
