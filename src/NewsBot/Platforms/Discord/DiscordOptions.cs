using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NewsBot.Discord;
using NewsBot.Discord.Gateway;

namespace NewsBot.Platforms.Discord;

/// <summary>
/// The adapter's part of the "NewsBot:Discord" section. The client library binds the same section into
/// <see cref="DiscordClientOptions"/> (Token, ApiBaseUrl, ShardCount, Shards, PublicKey, GlobalRequestsPerSecond).
/// </summary>
public sealed class DiscordOptions
{
    public const string Section = DiscordClientOptions.SectionName;

    /// <summary>Bot token; the adapter is active only when it is set. Never logged.</summary>
    public string Token { get; set; } = "";

    /// <summary>Empty: taken from READY (or GET /applications/@me).</summary>
    public ulong? ApplicationId { get; set; }

    public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";

    /// <summary>Register commands in this guild only: updates are instant, global ones may take a while.</summary>
    public ulong? GuildId { get; set; }

    /// <summary>Empty: Discord's recommendation from GET /gateway/bot.</summary>
    public int? ShardCount { get; set; }

    /// <summary>Shards this process runs, e.g. "0-3/8"; empty: every shard (see <see cref="ShardSelection"/>).</summary>
    public string Shards { get; set; } = "";

    /// <summary>The one-shard setting before <see cref="Shards"/>; bound only to refuse it with the replacement.</summary>
    public int? ShardId { get; set; }

    /// <summary>bot: the bot posts; webhook: one webhook per channel, posting under the source's name.</summary>
    public string PostingMode { get; set; } = "bot";

    /// <summary>Path such as /discord/interactions served on NewsBot:Http:Urls; empty: interactions come over the Gateway.</summary>
    public string InteractionsEndpoint { get; set; } = "";

    /// <summary>Application public key (64 hex characters), required with <see cref="InteractionsEndpoint"/>.</summary>
    public string? PublicKey { get; set; }

    public bool UsesWebhooks => PostingMode == "webhook";

    /// <summary>
    /// Why a token cannot be a bot token, naming the setting; null when it looks like one. Not a start-up error: a bad
    /// token stops the Discord adapter only (see <see cref="DiscordAdapterState"/>), like one Discord refuses.
    /// </summary>
    public static string? TokenProblem(string token)
    {
        var trimmed = token.Trim();
        return trimmed.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase)
            ? "NewsBot:Discord:Token must be the token alone, without the \"Bot \" prefix"
            : trimmed.Length < 10 || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c > '~')
                ? "NewsBot:Discord:Token does not look like a bot token (copy it from the Developer Portal, Bot page)"
                : null;
    }
}

/// <summary>Checks the section at start, naming the setting to fix.</summary>
public sealed partial class DiscordOptionsValidator : IValidateOptions<DiscordOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordOptions options)
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            problems.Add("NewsBot:Discord:ApiBaseUrl must be an absolute http(s) URL such as https://discord.com/api/v10.");
        }

        if (options.ShardCount is < 1)
        {
            problems.Add("NewsBot:Discord:ShardCount must be 1 or more (or empty for Discord's recommendation).");
        }

        if (options.ShardId is { } shardId)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"NewsBot:Discord:ShardId is replaced by NewsBot:Discord:Shards: write \"{shardId}/<shard count>\" there (e.g. \"{shardId}/{Math.Max(shardId + 1, options.ShardCount ?? 2)}\"), or remove it to run every shard."));
        }

        if (!string.IsNullOrWhiteSpace(options.Shards))
        {
            if (!ShardSelection.TryParse(options.Shards, out var selection, out var problem))
            {
                problems.Add($"NewsBot:Discord:Shards = \"{options.Shards}\" {problem}, e.g. {ShardSelection.Example}; empty runs every shard.");
            }
            else if (options.ShardCount is { } count && count != selection!.Count)
            {
                problems.Add($"NewsBot:Discord:Shards = \"{options.Shards}\" is out of {selection.Count} shards but NewsBot:Discord:ShardCount is {count}: leave ShardCount empty or make them agree.");
            }
        }

        if (options.PostingMode is not ("bot" or "webhook"))
        {
            problems.Add("NewsBot:Discord:PostingMode must be bot or webhook.");
        }

        if (options.InteractionsEndpoint.Length > 0)
        {
            if (!EndpointPath().IsMatch(options.InteractionsEndpoint))
            {
                problems.Add("NewsBot:Discord:InteractionsEndpoint must be a path such as /discord/interactions.");
            }

            if (options.PublicKey is null || !PublicKeyHex().IsMatch(options.PublicKey))
            {
                problems.Add("NewsBot:Discord:PublicKey must be the application's public key (64 hex characters) when InteractionsEndpoint is set.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    [GeneratedRegex("^/[A-Za-z0-9/_-]+$")]
    private static partial Regex EndpointPath();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex PublicKeyHex();
}
