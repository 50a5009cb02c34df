using System.Globalization;

namespace NewsBot.Discord.Rest;

/// <summary>The top-level resource a rate limit is keyed by (rate-limits doc, "Per-Route / Per-Resource").</summary>
internal enum MajorKind
{
    None,
    Channel,
    Guild,
    Webhook,
    Application,
    Interaction,
}

/// <summary>
/// One request target. Key = method + template (minor ids collapsed by construction) + major id, the
/// granularity of Discord's buckets; the learned bucket hash is only recorded, never used to merge queues.
/// </summary>
internal sealed record DiscordRoute(HttpMethod Method, string Template, string Path, MajorKind Major, ulong MajorId)
{
    /// <summary>Bot-token requests count toward the global limit; interaction and webhook-token ones don't.</summary>
    public bool BotAuth { get; init; } = true;

    /// <summary>Interaction callbacks and token-keyed webhook calls bypass the per-route queue (discord.js "burst" handler).</summary>
    public bool Queued { get; init; } = true;

    /// <summary>A retried POST may post twice; only a create-message with enforce_nonce is safe to repeat.</summary>
    public bool SafeToRetry { get; init; } = Method != HttpMethod.Post;

    public string Key { get; } = $"{Method.Method} {Template} {MajorId.ToString(CultureInfo.InvariantCulture)}";

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    public static DiscordRoute CreateMessage(ulong channelId, bool hasNonce) =>
        new(HttpMethod.Post, "/channels/{channel_id}/messages", $"/channels/{Id(channelId)}/messages", MajorKind.Channel, channelId)
        {
            SafeToRetry = hasNonce,
        };

    public static DiscordRoute EditMessage(ulong channelId, ulong messageId) =>
        new(HttpMethod.Patch, "/channels/{channel_id}/messages/{id}", $"/channels/{Id(channelId)}/messages/{Id(messageId)}", MajorKind.Channel, channelId);

    /// <summary>A forum post: no nonce exists for it, so it is never repeated blindly.</summary>
    public static DiscordRoute CreateThread(ulong channelId) =>
        new(HttpMethod.Post, "/channels/{channel_id}/threads", $"/channels/{Id(channelId)}/threads", MajorKind.Channel, channelId);

    public static DiscordRoute GetChannel(ulong channelId) =>
        new(HttpMethod.Get, "/channels/{channel_id}", $"/channels/{Id(channelId)}", MajorKind.Channel, channelId);

    public static DiscordRoute CreateWebhook(ulong channelId) =>
        new(HttpMethod.Post, "/channels/{channel_id}/webhooks", $"/channels/{Id(channelId)}/webhooks", MajorKind.Channel, channelId);

    /// <param name="threadId">Post into this thread of the webhook's channel (thread_id query).</param>
    public static DiscordRoute ExecuteWebhook(ulong webhookId, string token, ulong? threadId = null) =>
        new(HttpMethod.Post, "/webhooks/{webhook_id}/{token}",
            $"/webhooks/{Id(webhookId)}/{Uri.EscapeDataString(token)}?wait=true{(threadId is { } thread ? "&thread_id=" + Id(thread) : "")}", MajorKind.Webhook, webhookId)
        {
            BotAuth = false,
        };

    public static DiscordRoute InteractionCallback(ulong interactionId, string token) =>
        new(HttpMethod.Post, "/interactions/{id}/{token}/callback", $"/interactions/{Id(interactionId)}/{Uri.EscapeDataString(token)}/callback", MajorKind.Interaction, interactionId)
        {
            BotAuth = false,
            Queued = false,
        };

    public static DiscordRoute EditOriginal(ulong applicationId, string token) =>
        new(HttpMethod.Patch, "/webhooks/{application_id}/{token}/messages/@original", $"/webhooks/{Id(applicationId)}/{Uri.EscapeDataString(token)}/messages/@original", MajorKind.Interaction, applicationId)
        {
            BotAuth = false,
            Queued = false,
        };

    public static DiscordRoute CreateFollowup(ulong applicationId, string token) =>
        new(HttpMethod.Post, "/webhooks/{application_id}/{token}", $"/webhooks/{Id(applicationId)}/{Uri.EscapeDataString(token)}", MajorKind.Interaction, applicationId)
        {
            BotAuth = false,
            Queued = false,
        };

    public static DiscordRoute BulkOverwriteCommands(ulong applicationId, ulong? guildId) => guildId is { } guild
        ? new(HttpMethod.Put, "/applications/{application_id}/guilds/{guild_id}/commands", $"/applications/{Id(applicationId)}/guilds/{Id(guild)}/commands", MajorKind.Guild, guild)
        : new(HttpMethod.Put, "/applications/{application_id}/commands", $"/applications/{Id(applicationId)}/commands", MajorKind.Application, applicationId);

    public static DiscordRoute GatewayBot { get; } = new(HttpMethod.Get, "/gateway/bot", "/gateway/bot", MajorKind.None, 0);

    public static DiscordRoute CurrentApplication { get; } = new(HttpMethod.Get, "/applications/@me", "/applications/@me", MajorKind.None, 0);
}
