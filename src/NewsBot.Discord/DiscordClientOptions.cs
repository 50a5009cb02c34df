namespace NewsBot.Discord;

/// <summary>Settings for the Discord REST client, Gateway client and interactions endpoint.</summary>
public sealed class DiscordClientOptions
{
    /// <summary>Configuration section the host usually binds (NewsBot:Discord).</summary>
    public const string SectionName = "NewsBot:Discord";

    /// <summary>Bot token without the "Bot " prefix. Never logged.</summary>
    public string Token { get; set; } = "";

    public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";

    /// <summary>User-Agent must be "DiscordBot (url, version)" or Cloudflare may block the request (API reference, User Agent).</summary>
    public string UserAgentUrl { get; set; } = "https://github.com/newsbot/newsbot";

    public string UserAgentVersion { get; set; } = "1.0";

    /// <summary>Gateway intents; 1 (GUILDS) delivers GUILD_DELETE and CHANNEL_DELETE, interactions need none.</summary>
    public int Intents { get; set; } = 1;

    /// <summary>
    /// Shards this process runs, as <c>ids/count</c> (e.g. "0-3/8", see <see cref="Gateway.ShardSelection"/>); empty runs
    /// every shard of <see cref="ShardCount"/>.
    /// </summary>
    public string? Shards { get; set; }

    /// <summary>Null takes the recommended count from GET /gateway/bot.</summary>
    public int? ShardCount { get; set; }

    /// <summary>Discord allows 50 bot-authenticated requests per second; interaction callbacks are exempt.</summary>
    public int GlobalRequestsPerSecond { get; set; } = 50;

    /// <summary>Refuse requests once this fraction of the 10,000 invalid requests per 10 minutes is used (Cloudflare ban).</summary>
    public double InvalidRequestBudgetFraction { get; set; } = 0.8;

    /// <summary>Retries for 5xx/network errors on requests that are safe to repeat (429s have their own bound).</summary>
    public int MaxRetries { get; set; } = 3;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Skips GET /gateway/bot for the URL (tests, proxies). Shard count and identify budget still come from there.</summary>
    public string? GatewayUrlOverride { get; set; }

    /// <summary>Application public key (hex, 32 bytes) for the HTTP interactions endpoint.</summary>
    public string? PublicKey { get; set; }

    /// <summary>Interaction requests whose signed timestamp is further than this from now are rejected (local replay guard).</summary>
    public TimeSpan InteractionTimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);
}
