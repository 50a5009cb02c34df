using NewsBot.Model;

namespace NewsBot.Commands;

/// <summary>Where a command was typed: the platform's channel, in the platform's own ids.</summary>
public sealed record ChannelRef(Platform Platform, string ExternalId, string? ThreadId = null, string? GroupId = null, string? Name = null);

/// <summary>
/// A command as every platform delivers it. Options are already typed (Discord) or are parsed from
/// <see cref="ArgumentText"/> against the catalogue (Telegram, console).
/// </summary>
public sealed record CommandRequest(string Name, ChannelRef Channel, string UserId, bool IsPlatformAdmin)
{
    public IReadOnlyDictionary<string, object> Options { get; init; } = new Dictionary<string, object>();

    /// <summary>The raw text after the command name, for text platforms; null when <see cref="Options"/> are given.</summary>
    public string? ArgumentText { get; init; }
}
