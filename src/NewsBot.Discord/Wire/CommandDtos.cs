using System.Text.Json;

namespace NewsBot.Discord.Wire;

/// <summary>Application command as sent in a bulk overwrite (PUT .../commands) and returned by it.</summary>
public sealed record ApplicationCommand
{
    public ulong? Id { get; init; }
    public int? Type { get; init; }
    public required string Name { get; init; }
    /// <summary>Discord locale (de, es-ES, pt-BR, zh-CN, ja, …) → name; names must match Discord's command-name pattern.</summary>
    public IReadOnlyDictionary<string, string>? NameLocalizations { get; init; }
    public required string Description { get; init; }
    /// <summary>Discord locale → description (1-100 characters), shown to users whose client is in that language.</summary>
    public IReadOnlyDictionary<string, string>? DescriptionLocalizations { get; init; }
    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }
    public string? DefaultMemberPermissions { get; init; }
    public IReadOnlyList<int>? Contexts { get; init; }
    public IReadOnlyList<int>? IntegrationTypes { get; init; }
    public bool? Nsfw { get; init; }
}

public sealed record ApplicationCommandOption
{
    public int Type { get; init; }
    public required string Name { get; init; }
    public IReadOnlyDictionary<string, string>? NameLocalizations { get; init; }
    public required string Description { get; init; }
    public IReadOnlyDictionary<string, string>? DescriptionLocalizations { get; init; }
    public bool? Required { get; init; }
    public IReadOnlyList<CommandChoice>? Choices { get; init; }
    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }
    public IReadOnlyList<int>? ChannelTypes { get; init; }
    public double? MinValue { get; init; }
    public double? MaxValue { get; init; }
    public int? MinLength { get; init; }
    public int? MaxLength { get; init; }
    public bool? Autocomplete { get; init; }
}

/// <summary>A choice value is a string, integer or number depending on the option type.</summary>
public sealed record CommandChoice
{
    public required string Name { get; init; }
    public IReadOnlyDictionary<string, string>? NameLocalizations { get; init; }
    public required JsonElement Value { get; init; }
}
