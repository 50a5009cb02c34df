using NewsBot.Discord.Wire;

namespace NewsBot.Discord;

/// <summary>Message flags we set; EPHEMERAL only applies to interaction replies and followups.</summary>
[Flags]
public enum MessageFlags
{
    None = 0,
    SuppressEmbeds = 1 << 2,
    Ephemeral = 1 << 6,
    SuppressNotifications = 1 << 12,
}

/// <summary>
/// What a caller wants to post. The client trims it to Discord's limits and forces allowed_mentions to none
/// unless the caller names specific users or roles.
/// </summary>
public sealed record OutgoingMessage
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed> Embeds { get; init; } = [];

    /// <summary>Only explicit user/role ids are honoured; blanket "parse" types are always dropped.</summary>
    public AllowedMentions? AllowedMentions { get; init; }

    /// <summary>≤25 characters; with enforce_nonce Discord returns the first message for a repeated nonce, so a retry cannot post twice.</summary>
    public string? Nonce { get; init; }

    public MessageFlags Flags { get; init; }

    /// <summary>Webhook executions only.</summary>
    public string? Username { get; init; }

    /// <summary>Webhook executions only.</summary>
    public string? AvatarUrl { get; init; }
}

/// <summary>How to answer an interaction (callback types 1, 4, 5 and 8).</summary>
public sealed record InteractionResponse
{
    private InteractionResponse(int type, OutgoingMessage? message, IReadOnlyList<CommandChoice>? choices)
    {
        Type = type;
        Message = message;
        Choices = choices;
    }

    public int Type { get; }
    public OutgoingMessage? Message { get; }
    public IReadOnlyList<CommandChoice>? Choices { get; }

    public static InteractionResponse Pong { get; } = new(1, null, null);

    public static InteractionResponse Reply(OutgoingMessage message) => new(4, message, null);

    /// <summary>Type 5: "thinking…" now, edit @original later; with type 5 only EPHEMERAL is allowed.</summary>
    public static InteractionResponse Defer(bool ephemeral) =>
        new(5, new OutgoingMessage { Flags = ephemeral ? MessageFlags.Ephemeral : MessageFlags.None }, null);

    /// <summary>Type 8, at most 25 choices.</summary>
    public static InteractionResponse Autocomplete(IReadOnlyList<CommandChoice> choices) => new(8, null, choices);
}

/// <summary>A new post in a forum channel: its name (cut to 100 characters) and the forum tag ids it carries (at most 5).</summary>
public sealed record ForumPost(string Name, IReadOnlyList<ulong> AppliedTags);

/// <summary>Where a webhook execution lands inside the webhook's channel: a thread of it, or a new forum post.</summary>
public sealed record WebhookTarget(ulong? ThreadId = null, ForumPost? ForumPost = null);
