namespace NewsBot.Discord.Wire;

/// <summary>Body of POST /channels/{id}/messages and PATCH .../messages/{id} (message resource).</summary>
public sealed record MessageRequest
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public AllowedMentions? AllowedMentions { get; init; }
    public string? Nonce { get; init; }
    public bool? EnforceNonce { get; init; }
    public int? Flags { get; init; }
}

/// <summary>Body of webhook execute, followups and @original edits (webhook resource).</summary>
public sealed record WebhookMessageRequest
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public AllowedMentions? AllowedMentions { get; init; }
    public int? Flags { get; init; }
    public string? Username { get; init; }
    public string? AvatarUrl { get; init; }
    /// <summary>Execute into a forum or media channel: the new post's name (thread_name), with these tags.</summary>
    public string? ThreadName { get; init; }
    public IReadOnlyList<ulong>? AppliedTags { get; init; }
}

public sealed record Message
{
    public ulong Id { get; init; }
    public ulong ChannelId { get; init; }
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public User? Author { get; init; }
    public ulong? WebhookId { get; init; }
    public int? Flags { get; init; }
}

public sealed record Embed
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Url { get; init; }
    public string? Timestamp { get; init; }
    public int? Color { get; init; }
    public EmbedFooter? Footer { get; init; }
    public EmbedMedia? Image { get; init; }
    public EmbedMedia? Thumbnail { get; init; }
    public EmbedAuthor? Author { get; init; }
    public IReadOnlyList<EmbedField>? Fields { get; init; }
}

public sealed record EmbedFooter
{
    public required string Text { get; init; }
    public string? IconUrl { get; init; }
}

public sealed record EmbedMedia
{
    public required string Url { get; init; }
}

public sealed record EmbedAuthor
{
    public required string Name { get; init; }
    public string? Url { get; init; }
    public string? IconUrl { get; init; }
}

public sealed record EmbedField
{
    public required string Name { get; init; }
    public required string Value { get; init; }
    public bool? Inline { get; init; }
}

/// <summary>allowed_mentions: "parse" plus explicit lists of the same kind is a 400, so lists stay null when parse is used.</summary>
public sealed record AllowedMentions
{
    public IReadOnlyList<string>? Parse { get; init; }
    public IReadOnlyList<ulong>? Users { get; init; }
    public IReadOnlyList<ulong>? Roles { get; init; }
    public bool? RepliedUser { get; init; }
}

public sealed record User
{
    public ulong Id { get; init; }
    public string? Username { get; init; }
    public string? GlobalName { get; init; }
    public bool? Bot { get; init; }
}

public sealed record Webhook
{
    public ulong Id { get; init; }
    public string? Token { get; init; }
    public ulong? ChannelId { get; init; }
    public string? Name { get; init; }
}

public sealed record WebhookCreateRequest
{
    public required string Name { get; init; }
}

public sealed record Application
{
    public ulong Id { get; init; }
    public string? Name { get; init; }
    public string? VerifyKey { get; init; }
}
