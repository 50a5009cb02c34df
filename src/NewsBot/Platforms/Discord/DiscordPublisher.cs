using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Rest;
using NewsBot.Discord.Wire;
using NewsBot.Discord;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;

namespace NewsBot.Platforms.Discord;

/// <summary>
/// Sends posts to Discord channels: one embed per post, never a ping, a nonce per delivery so a re-send after a
/// crash is dropped by Discord, and either as the bot or (PostingMode=webhook) through one webhook per channel.
/// A forum channel gets one new post (thread) per message, named after the article and tagged by its topics; a
/// thread subscription posts into the thread. Forum posts take no nonce: their duplicate window is the Telegram one
/// (docs/architecture.md, "Crash safety").
/// </summary>
public sealed class DiscordPublisher(
    DiscordRestClient rest,
    DiscordAdapterState adapter,
    DiscordChannelKinds kinds,
    PostTemplateRenderer templates,
    IPlatformStateStore state,
    IOptions<DiscordOptions> options,
    IOptions<DiscordClientOptions> clientOptions) : IPlatformPublisher
{
    /// <summary>Discord's nonce is at most 25 characters.</summary>
    public const int NonceLength = 25;

    private const string WebhookName = "NewsBot";
    private static readonly TimeSpan StoppedRetry = TimeSpan.FromMinutes(30);

    private static readonly RateLimit ChannelRate = new(5, TimeSpan.FromSeconds(5));

    private readonly ConcurrentDictionary<ulong, Webhook> _webhooks = new();

    public Platform Platform => Platform.Discord;

    /// <summary>The bot's global request rate, as Discord counts it.</summary>
    public RateLimit? GlobalLimit => new(clientOptions.Value.GlobalRequestsPerSecond, TimeSpan.FromSeconds(1));

    /// <summary>5 messages per 5 s in any channel, thread or forum.</summary>
    public RateLimit? ChannelLimit(Channel channel) => ChannelRate;

    public Task<PublishResult> PublishAsync(Channel channel, Post post, string idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(channel, Compose(post, channel) with
        {
            Nonce = Nonce(idempotencyKey),
            Username = post.SourceName,
        }, new ForumPostText(post.Title, post.Topics), cancellationToken);

    /// <summary>A post's message: role mentions in the content, the embed in the subscription's template (or the built-in one).</summary>
    public OutgoingMessage Compose(Post post, Channel channel) => new()
    {
        // Role mentions only ping from content; allowed_mentions names exactly these roles (the client adds parse: []).
        Content = post.MentionRoleIds.Count == 0 ? null : string.Join(' ', post.MentionRoleIds.Select(id => $"<@&{id.ToString(CultureInfo.InvariantCulture)}>")),
        AllowedMentions = post.MentionRoleIds.Count == 0 ? null : new AllowedMentions { Roles = post.MentionRoleIds },
        Embeds = [Render(post, channel)],
        // SUPPRESS_EMBEDS would hide the post itself, so LinkPreview does not apply to embeds.
        Flags = post.Silent ? MessageFlags.SuppressNotifications : MessageFlags.None,
    };

    public Task<PublishResult> PublishDigestAsync(Channel channel, DigestPost digest, string idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(channel, new OutgoingMessage
        {
            Embeds = [DiscordRenderer.RenderDigest(digest, ChannelTexts.Of(channel))],
            Nonce = Nonce(idempotencyKey),
            Flags = digest.Items.All(i => i.Silent) ? MessageFlags.SuppressNotifications : MessageFlags.None,
        }, new ForumPostText(digest.Heading, []), cancellationToken);

    public Task<PublishResult> NotifyAsync(Channel channel, string text, CancellationToken cancellationToken) =>
        SendAsync(channel, new OutgoingMessage { Content = DiscordRenderer.Shorten(DiscordRenderer.Escape(text), DiscordRenderer.ContentLimit) },
            new ForumPostText("NewsBot: " + text, []), cancellationToken);

    /// <summary>The default embed, with what the subscription's template sets (each part that fails keeps its default).</summary>
    private Embed Render(Post post, Channel channel)
    {
        var embed = DiscordRenderer.RenderPost(post, ChannelTexts.Of(channel));
        if (post.Template is not { } template)
        {
            return embed;
        }

        string? Part(string? source, int limit) => templates.RenderForPost(source, post, channel.TimeZone, DiscordTemplateEncoder.Instance, limit);
        return embed with
        {
            Description = Part(template.Text, DiscordRenderer.DescriptionLimit) ?? embed.Description,
            Title = Part(template.Title, DiscordRenderer.TitleLimit) ?? embed.Title,
            Footer = Part(template.Footer, DiscordRenderer.FooterLimit) is { } footer ? new EmbedFooter { Text = footer } : embed.Footer,
            Color = template.Colour ?? embed.Color,
        };
    }

    /// <summary>The idempotency key itself when short enough, else a stable hash of it (24 hex characters).</summary>
    public static string Nonce(string idempotencyKey) =>
        idempotencyKey.Length <= NonceLength
            ? idempotencyKey
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..24];

    /// <summary>What a message becomes in a forum: a post named <paramref name="Name"/>, tagged by <paramref name="Topics"/>.</summary>
    private sealed record ForumPostText(string Name, IReadOnlyList<string> Topics);

    private async Task<PublishResult> SendAsync(Channel channel, OutgoingMessage message, ForumPostText forumText, CancellationToken cancellationToken)
    {
        if (adapter.StopReason is { } stopped)
        {
            return PublishResult.Retry("discord.adapter_stopped: " + stopped, StoppedRetry);
        }

        if (!ulong.TryParse(channel.ThreadId ?? channel.ExternalId, NumberStyles.None, CultureInfo.InvariantCulture, out var channelId))
        {
            return PublishResult.Permanent($"discord.bad_channel_id: {channel.ExternalId}");
        }

        var kind = await kinds.GetAsync(channelId, cancellationToken);
        var forumPost = kind.IsForum ? await kinds.PostAsync(channelId, forumText.Name, forumText.Topics, cancellationToken) : null;
        if (!options.Value.UsesWebhooks)
        {
            return forumPost is not null
                ? Map(await rest.CreateForumPostAsync(channelId, forumPost, message with { Username = null }, cancellationToken))
                : Map(await rest.CreateMessageAsync(channelId, message with { Username = null }, cancellationToken));
        }

        // A thread has no webhooks of its own: its parent's webhook posts into it with thread_id.
        var webhookChannelId = kind.ParentId ?? channelId;
        var webhook = await GetWebhookAsync(webhookChannelId, cancellationToken);
        if (webhook.Error is { } createError)
        {
            return Map(DiscordResult<Message>.Failure(createError));
        }

        // Webhook executions take no nonce; the username shows the source instead of the bot.
        var result = await rest.ExecuteWebhookAsync(webhook.Value!.Id, webhook.Value.Token!, message with { Nonce = null }, cancellationToken,
            kind.ParentId is not null || forumPost is not null ? new WebhookTarget(kind.ParentId is null ? null : channelId, forumPost) : null);
        if (result.Error is { Kind: DiscordErrorKind.Permanent, Reason: "discord.unknown_webhook" } gone)
        {
            // Someone deleted the webhook: forget it and create a new one on the next attempt.
            _webhooks.TryRemove(webhookChannelId, out _);
            await state.SetAsync(Platform.Discord.ToKey(), WebhookKey(webhookChannelId), "", cancellationToken);
            return PublishResult.Retry(gone.Reason);
        }

        return Map(result);
    }

    private async Task<DiscordResult<Webhook>> GetWebhookAsync(ulong channelId, CancellationToken cancellationToken)
    {
        if (_webhooks.TryGetValue(channelId, out var cached))
        {
            return DiscordResult<Webhook>.Success(cached);
        }

        var stored = await state.GetAsync(Platform.Discord.ToKey(), WebhookKey(channelId), cancellationToken);
        if (stored?.Split(':') is [var id, var token] && ulong.TryParse(id, CultureInfo.InvariantCulture, out var webhookId))
        {
            return DiscordResult<Webhook>.Success(_webhooks.GetOrAdd(channelId, new Webhook { Id = webhookId, Token = token, ChannelId = channelId }));
        }

        var created = await rest.CreateWebhookAsync(channelId, WebhookName, cancellationToken);
        if (created.Value is { Token: not null } webhook)
        {
            await state.SetAsync(Platform.Discord.ToKey(), WebhookKey(channelId), string.Create(CultureInfo.InvariantCulture, $"{webhook.Id}:{webhook.Token}"), cancellationToken);
            _webhooks[channelId] = webhook;
        }

        return created;
    }

    private static string WebhookKey(ulong channelId) => string.Create(CultureInfo.InvariantCulture, $"webhook:{channelId}");

    /// <summary>A forum post is answered with its thread, whose starter message has the thread's id.</summary>
    private PublishResult Map(DiscordResult<ChannelInfo> result) => result.Value is { } thread
        ? PublishResult.Sent((thread.Message?.Id ?? thread.Id).ToString(CultureInfo.InvariantCulture))
        : Map(result.Error!);

    private PublishResult Map(DiscordResult<Message> result) => result.Value is { } sent
        ? PublishResult.Sent(sent.Id.ToString(CultureInfo.InvariantCulture))
        : Map(result.Error!);

    private PublishResult Map(DiscordError error)
    {
        switch (error.Kind)
        {
            case DiscordErrorKind.Permanent:
                return PublishResult.Permanent(error.ToString());
            case DiscordErrorKind.Unauthorized:
                adapter.Stop("Discord rejected the token (401): check NewsBot:Discord:Token");
                return PublishResult.Retry(error.Reason, StoppedRetry);
            case DiscordErrorKind.Invalid:
                // Our request was malformed: a bug to fix, not a channel to give up on; only this post fails.
                return PublishResult.Failed(error.ToString());
            default:
                return PublishResult.Retry(error.ToString(), error.RetryAfter);
        }
    }
}
