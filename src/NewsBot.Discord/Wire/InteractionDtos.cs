using System.Text.Json;

namespace NewsBot.Discord.Wire;

/// <summary>INTERACTION_CREATE payload, identical for the Gateway and the HTTP endpoint.</summary>
public sealed record Interaction
{
    public ulong Id { get; init; }
    public ulong ApplicationId { get; init; }
    public int Type { get; init; }
    public string Token { get; init; } = "";
    public int Version { get; init; }
    public ulong? GuildId { get; init; }
    public ulong? ChannelId { get; init; }
    public PartialChannel? Channel { get; init; }
    public GuildMember? Member { get; init; }
    public User? User { get; init; }
    public ulong? AppPermissions { get; init; }
    public string? Locale { get; init; }
    public string? GuildLocale { get; init; }
    public int? Context { get; init; }
    public InteractionData? Data { get; init; }
}

public static class InteractionTypes
{
    public const int Ping = 1;
    public const int ApplicationCommand = 2;
    public const int MessageComponent = 3;
    public const int Autocomplete = 4;
    public const int ModalSubmit = 5;
}

/// <summary>member.permissions is the invoker's permission set in that channel, overwrites included.</summary>
public sealed record GuildMember
{
    public User? User { get; init; }
    public ulong? Permissions { get; init; }
    public string? Nick { get; init; }
    public IReadOnlyList<ulong>? Roles { get; init; }
}

public sealed record InteractionData
{
    public ulong Id { get; init; }
    public string Name { get; init; } = "";
    public int Type { get; init; }
    public IReadOnlyList<InteractionOption>? Options { get; init; }
    public ResolvedData? Resolved { get; init; }
    public ulong? GuildId { get; init; }
    public ulong? TargetId { get; init; }
}

/// <summary>Sub-commands carry nested options instead of a value; autocomplete marks the typed option focused.</summary>
public sealed record InteractionOption
{
    public string Name { get; init; } = "";
    public int Type { get; init; }
    public JsonElement? Value { get; init; }
    public IReadOnlyList<InteractionOption>? Options { get; init; }
    public bool? Focused { get; init; }
}

public sealed record ResolvedData
{
    public IReadOnlyDictionary<string, ResolvedChannel>? Channels { get; init; }
    public IReadOnlyDictionary<string, User>? Users { get; init; }
}

/// <summary>app_permissions on resolved channels exists since Jul 2026 and only when the bot is in the guild.</summary>
public sealed record ResolvedChannel
{
    public ulong Id { get; init; }
    public int Type { get; init; }
    public string? Name { get; init; }
    public ulong? Permissions { get; init; }
    public ulong? AppPermissions { get; init; }
    /// <summary>Threads: the channel or forum the thread belongs to.</summary>
    public ulong? ParentId { get; init; }
}

public sealed record PartialChannel
{
    public ulong Id { get; init; }
    public int Type { get; init; }
    public string? Name { get; init; }
    public ulong? GuildId { get; init; }
    /// <summary>Threads: the channel or forum the thread belongs to.</summary>
    public ulong? ParentId { get; init; }
}

/// <summary>Body of POST /interactions/{id}/{token}/callback.</summary>
public sealed record InteractionCallback
{
    public int Type { get; init; }
    public InteractionCallbackData? Data { get; init; }
}

public sealed record InteractionCallbackData
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public AllowedMentions? AllowedMentions { get; init; }
    public int? Flags { get; init; }
    public IReadOnlyList<CommandChoice>? Choices { get; init; }
}
