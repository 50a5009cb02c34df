using NewsBot.Model;

namespace NewsBot.Commands;

/// <summary>
/// Where a command was typed: the platform's channel, in the platform's own ids. <paramref name="Locale"/>: the
/// language the platform reports for the place itself (a Discord server's, a Telegram private chat's user), which
/// posts there follow unless /settings language says otherwise.
/// </summary>
public sealed record ChannelRef(Platform Platform, string ExternalId, string? ThreadId = null, string? GroupId = null, string? Name = null, string? Locale = null);

/// <summary>
/// A command as every platform delivers it. Options are already typed (Discord) or are parsed from
/// <see cref="ArgumentText"/> against the catalogue (Telegram, console).
/// </summary>
public sealed record CommandRequest(string Name, ChannelRef Channel, string UserId, bool IsPlatformAdmin)
{
    public IReadOnlyDictionary<string, object> Options { get; init; } = new Dictionary<string, object>();

    /// <summary>The language of the person asking, as the platform reports it (Discord locale, Telegram language_code).</summary>
    public string? Locale { get; init; }

    /// <summary>The raw text after the command name, for text platforms; null when <see cref="Options"/> are given.</summary>
    public string? ArgumentText { get; init; }
}
