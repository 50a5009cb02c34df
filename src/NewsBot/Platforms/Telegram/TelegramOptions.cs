using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace NewsBot.Platforms.Telegram;

/// <summary>The "NewsBot:Telegram" section. The adapter runs only when <see cref="Token"/> is set.</summary>
public sealed class TelegramOptions
{
    public const string Section = "NewsBot:Telegram";

    public const string OfficialApiBaseUrl = "https://api.telegram.org";

    /// <summary>The bot token from @BotFather ("123456:ABC..."). A secret: from the environment or user-secrets, never logged.</summary>
    public string Token { get; set; } = "";

    /// <summary>The Bot API server; a loopback URL runs the whole bot against a fake or a local Bot API server.</summary>
    public string ApiBaseUrl { get; set; } = OfficialApiBaseUrl;

    /// <summary>polling (getUpdates; works behind NAT) or webhook (Telegram calls WebhookUrl; needs NewsBot:Http:Urls).</summary>
    public string Mode { get; set; } = "polling";

    /// <summary>Webhook mode: the public https URL Telegram posts updates to; its path is served by the HTTP endpoint.</summary>
    public string WebhookUrl { get; set; } = "";

    /// <summary>Webhook mode: Telegram sends it in X-Telegram-Bot-Api-Secret-Token, so strangers cannot post updates.</summary>
    public string SecretToken { get; set; } = "";

    /// <summary>How long one getUpdates call waits for news (long polling).</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages per second over all chats (Bot FAQ: about 30).</summary>
    public int GlobalMessagesPerSecond { get; set; } = 30;

    /// <summary>Messages one chat may get within <see cref="ChatWindow"/> (Bot FAQ: about one a second, short bursts allowed).</summary>
    public int ChatBurst { get; set; } = 3;

    public TimeSpan ChatWindow { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Messages per minute to one group (Bot FAQ: 20).</summary>
    public int GroupMessagesPerMinute { get; set; } = 20;

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);

    public bool UseWebhook => string.Equals(Mode, "webhook", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Checks the section at start-up; every message names the setting to fix. Nothing is checked while the adapter is off.</summary>
public sealed partial class TelegramOptionsValidator(IOptions<HttpOptions> http) : IValidateOptions<TelegramOptions>
{
    public ValidateOptionsResult Validate(string? name, TelegramOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!TokenShape().IsMatch(options.Token))
        {
            // The token itself is never echoed.
            failures.Add("NewsBot:Telegram:Token must look like <bot id>:<secret> as @BotFather gives it.");
        }

        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"NewsBot:Telegram:ApiBaseUrl must be an http(s) URL such as {TelegramOptions.OfficialApiBaseUrl}.");
        }

        if (!string.Equals(options.Mode, "polling", StringComparison.OrdinalIgnoreCase) && !options.UseWebhook)
        {
            failures.Add("NewsBot:Telegram:Mode must be polling or webhook.");
        }

        if (options.UseWebhook)
        {
            if (!Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var webhook) || (webhook.Scheme != Uri.UriSchemeHttps && webhook.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add("NewsBot:Telegram:WebhookUrl must be the public https URL Telegram should call, e.g. https://bot.example.com/telegram/webhook.");
            }

            if (!SecretShape().IsMatch(options.SecretToken))
            {
                failures.Add("NewsBot:Telegram:SecretToken must be 1-256 characters of A-Z, a-z, 0-9, _ and - in webhook mode.");
            }

            if (string.IsNullOrWhiteSpace(http.Value.Urls))
            {
                failures.Add("NewsBot:Http:Urls must be set in webhook mode (NewsBot:Telegram:Mode): Telegram's calls arrive there.");
            }
        }
        else if (options.SecretToken.Length > 0 && !SecretShape().IsMatch(options.SecretToken))
        {
            failures.Add("NewsBot:Telegram:SecretToken must be 1-256 characters of A-Z, a-z, 0-9, _ and -.");
        }

        if (options.PollTimeout < TimeSpan.Zero || options.PollTimeout > TimeSpan.FromSeconds(50))
        {
            failures.Add("NewsBot:Telegram:PollTimeout must be between 00:00:00 and 00:00:50.");
        }

        if (options.GlobalMessagesPerSecond is < 1 or > 1000)
        {
            failures.Add("NewsBot:Telegram:GlobalMessagesPerSecond must be between 1 and 1000.");
        }

        if (options.ChatBurst is < 1 or > 100 || options.ChatWindow <= TimeSpan.Zero)
        {
            failures.Add("NewsBot:Telegram:ChatBurst must be between 1 and 100 and NewsBot:Telegram:ChatWindow positive.");
        }

        if (options.GroupMessagesPerMinute is < 1 or > 1000)
        {
            failures.Add("NewsBot:Telegram:GroupMessagesPerMinute must be between 1 and 1000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[0-9]{1,16}:[A-Za-z0-9_-]+$")]
    private static partial Regex TokenShape();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretShape();
}
