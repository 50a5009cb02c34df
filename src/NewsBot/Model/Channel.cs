namespace NewsBot.Model;

/// <summary>Where posts go: a Discord channel, a Telegram chat (optionally a forum topic), or the console.</summary>
public sealed record Channel
{
    public long Id { get; init; }
    public Platform Platform { get; init; }
    /// <summary>The platform's own id: Discord channel snowflake, Telegram chat id, "console".</summary>
    public required string ExternalId { get; init; }
    /// <summary>Telegram forum topic (message_thread_id) or Discord thread, when posts go there.</summary>
    public string? ThreadId { get; init; }
    /// <summary>Discord guild id, so a removed guild pauses all of its channels.</summary>
    public string? GroupId { get; init; }
    public string? Name { get; init; }
    /// <summary>Governor: at most this many posts an hour; the rest become a digest.</summary>
    public int MaxPostsPerHour { get; init; } = 20;
    /// <summary>Quiet hours (local time in <see cref="TimeZone"/>): posts wait and arrive as one digest.</summary>
    public TimeOnly? QuietStart { get; init; }
    public TimeOnly? QuietEnd { get; init; }
    public string TimeZone { get; init; } = "UTC";
    /// <summary>/settings language: the interface language chosen for this channel (a shipped language code), or null for automatic.</summary>
    public string? Language { get; init; }
    /// <summary>The language the platform last reported for the place (a Discord server's locale), for posts when no language is chosen.</summary>
    public string? PlatformLocale { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
