using Microsoft.Extensions.Options;
using NewsBot.Platforms.Telegram;
using NewsBot.Platforms;

namespace NewsBot.Tests.Platforms.Telegram;

public sealed class TelegramOptionsValidatorTests
{
    private static readonly TelegramOptionsValidator Validator = new(Options.Create(new HttpOptions()));

    [Fact]
    public void Validate_NoToken_AdapterOffAndNothingChecked()
    {
        var result = Validator.Validate(null, new TelegramOptions { Mode = "carrier-pigeon" });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_WebhookWithoutUrlOrGoodSecret_NamesEachSetting()
    {
        var result = Validator.Validate(null, new TelegramOptions { Token = "123:abc", Mode = "webhook", SecretToken = "has spaces!" });

        Assert.True(result.Failed);
        Assert.Contains("NewsBot:Telegram:WebhookUrl", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("NewsBot:Telegram:SecretToken", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("NewsBot:Http:Urls", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CompleteWebhookSetup_Succeeds()
    {
        var validator = new TelegramOptionsValidator(Options.Create(new HttpOptions { Urls = "http://127.0.0.1:8080" }));

        var result = validator.Validate(null, new TelegramOptions { Token = "123:abc", Mode = "webhook", WebhookUrl = "https://bot.example/hook", SecretToken = "s3cret" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("not-a-token", "NewsBot:Telegram:Token")]
    [InlineData("123:abc", null)]
    public void Validate_TokenShape_ReportedWithoutEchoingTheToken(string token, string? setting)
    {
        var result = Validator.Validate(null, new TelegramOptions { Token = token });

        Assert.Equal(setting is null, result.Succeeded);
        if (setting is not null)
        {
            Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
            Assert.DoesNotContain(token, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_UnknownModeAndLongPoll_NamesTheSettings()
    {
        var result = Validator.Validate(null, new TelegramOptions { Token = "1:x", Mode = "push", PollTimeout = TimeSpan.FromMinutes(5) });

        Assert.Contains("NewsBot:Telegram:Mode", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("NewsBot:Telegram:PollTimeout", result.FailureMessage, StringComparison.Ordinal);
    }
}
