namespace NewsBot.Discord.Wire;

/// <summary>Channel types a feed bot posts to (channel resource, "Channel Types").</summary>
public static class ChannelTypes
{
    public const int GuildText = 0;
    public const int GuildAnnouncement = 5;
    public const int AnnouncementThread = 10;
    public const int PublicThread = 11;
    public const int PrivateThread = 12;
    public const int GuildForum = 15;
    public const int GuildMedia = 16;

    /// <summary>Forum and media channels hold only threads ("posts"): a message there is a new thread.</summary>
    public static bool IsForum(int type) => type is GuildForum or GuildMedia;

    public static bool IsThread(int type) => type is AnnouncementThread or PublicThread or PrivateThread;
}

/// <summary>Channel flags (bitfield); REQUIRE_TAG: a forum post must carry at least one tag.</summary>
public static class ChannelFlags
{
    public const int RequireTag = 1 << 4;
}

/// <summary>GET /channels/{id}, and the thread a forum post creates (with its starter message).</summary>
public sealed record ChannelInfo
{
    public ulong Id { get; init; }
    public int Type { get; init; }
    public string? Name { get; init; }
    public ulong? GuildId { get; init; }
    /// <summary>For a thread: the channel (or forum) it belongs to.</summary>
    public ulong? ParentId { get; init; }
    public int? Flags { get; init; }
    /// <summary>Forum and media channels: the tags a post may carry (at most 20).</summary>
    public IReadOnlyList<ForumTag>? AvailableTags { get; init; }
    public IReadOnlyList<ulong>? AppliedTags { get; init; }
    public ThreadMetadata? ThreadMetadata { get; init; }
    /// <summary>Only in the answer to a forum post: the starter message.</summary>
    public Message? Message { get; init; }
}

/// <summary>A forum tag; a moderated one can only be applied by members with MANAGE_THREADS.</summary>
public sealed record ForumTag
{
    public ulong Id { get; init; }
    public string Name { get; init; } = "";
    public bool? Moderated { get; init; }
}

public sealed record ThreadMetadata
{
    public bool Archived { get; init; }
    public bool? Locked { get; init; }
}

/// <summary>Body of POST /channels/{forum id}/threads ("Start Thread in Forum or Media Channel").</summary>
public sealed record ForumThreadRequest
{
    /// <summary>1–100 characters.</summary>
    public required string Name { get; init; }
    public required ForumThreadMessage Message { get; init; }
    /// <summary>At most 5 tag ids of the forum's available_tags.</summary>
    public IReadOnlyList<ulong>? AppliedTags { get; init; }
}

/// <summary>Forum thread message params: like a message, without nonce; flags only SUPPRESS_EMBEDS and SUPPRESS_NOTIFICATIONS.</summary>
public sealed record ForumThreadMessage
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public AllowedMentions? AllowedMentions { get; init; }
    public int? Flags { get; init; }
}
