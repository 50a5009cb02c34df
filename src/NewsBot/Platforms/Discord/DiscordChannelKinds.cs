using System.Collections.Concurrent;
using System.Globalization;
using NewsBot.Discord;
using NewsBot.Discord.Rest;
using NewsBot.Discord.Wire;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Platforms.Discord;

/// <summary>What a subscribed channel is: a forum (posts become threads), a thread of a parent channel, or a plain channel.</summary>
public sealed record DiscordChannelKind(bool IsForum, ulong? ParentId)
{
    public static DiscordChannelKind Plain { get; } = new(false, null);
}

/// <summary>
/// Which subscribed channels are forums or threads (told by the interaction that subscribed them, kept across
/// restarts), and which of a forum's tags a new post carries. A forum's tags are read with GET /channels/{id} and kept
/// for <see cref="TagsFresh"/>, so a tag an admin adds is used within minutes without a request per post.
/// </summary>
public sealed class DiscordChannelKinds(DiscordRestClient rest, IPlatformStateStore state, TimeProvider time)
{
    public static readonly TimeSpan TagsFresh = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<ulong, DiscordChannelKind> _kinds = new();
    private readonly ConcurrentDictionary<ulong, (DateTimeOffset ReadAt, ChannelInfo Forum)> _forums = new();

    /// <summary>Records a channel's type (and a thread's parent) as the interaction that subscribed it showed them.</summary>
    public async Task RememberAsync(ulong channelId, int type, ulong? parentId, CancellationToken cancellationToken)
    {
        var kind = new DiscordChannelKind(ChannelTypes.IsForum(type), ChannelTypes.IsThread(type) ? parentId : null);
        if (_kinds.TryGetValue(channelId, out var known) && known == kind)
        {
            return;
        }

        var value = kind.IsForum ? "forum" : kind.ParentId is { } parent ? string.Create(CultureInfo.InvariantCulture, $"thread:{parent}") : "";
        await state.SetAsync(Platform.Discord.ToKey(), Key(channelId), value, cancellationToken);
        _kinds[channelId] = kind;
        _forums.TryRemove(channelId, out _);
    }

    public async ValueTask<DiscordChannelKind> GetAsync(ulong channelId, CancellationToken cancellationToken)
    {
        if (_kinds.TryGetValue(channelId, out var kind))
        {
            return kind;
        }

        kind = await state.GetAsync(Platform.Discord.ToKey(), Key(channelId), cancellationToken) switch
        {
            "forum" => new DiscordChannelKind(true, null),
            ['t', 'h', 'r', 'e', 'a', 'd', ':', .. var parent] when ulong.TryParse(parent, NumberStyles.None, CultureInfo.InvariantCulture, out var parentId)
                => new DiscordChannelKind(false, parentId),
            _ => DiscordChannelKind.Plain,
        };
        return _kinds.GetOrAdd(channelId, kind);
    }

    /// <summary>
    /// The new post's name and tags: every tag named like one of <paramref name="topics"/> (case, spaces and punctuation
    /// aside; Discord takes the first 5), else, when the forum requires a tag, its first one. Tags only moderators may apply are left
    /// alone. When the forum cannot be read the post goes without tags (Discord then says whether it needs one).
    /// </summary>
    public async Task<ForumPost> PostAsync(ulong forumId, string name, IReadOnlyList<string> topics, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!_forums.TryGetValue(forumId, out var cached) || now - cached.ReadAt >= TagsFresh)
        {
            var read = await rest.GetChannelAsync(forumId, cancellationToken);
            if (read.Value is not { } forum)
            {
                return new ForumPost(name, []);
            }

            cached = (now, forum);
            _forums[forumId] = cached;
        }

        var usable = (cached.Forum.AvailableTags ?? []).Where(t => t.Moderated != true).ToList();
        var wanted = topics.Select(Comparable).ToHashSet(StringComparer.Ordinal);
        List<ulong> tags = [.. usable.Where(t => wanted.Contains(Comparable(t.Name))).Select(t => t.Id)];
        if (tags.Count == 0 && ((cached.Forum.Flags ?? 0) & ChannelFlags.RequireTag) != 0 && usable.Count > 0)
        {
            tags.Add(usable[0].Id);
        }

        return new ForumPost(name, tags);
    }

    /// <summary>"Climate Change", "climate-change" and "#ClimateChange" compare equal.</summary>
    private static string Comparable(string name) =>
        string.Concat(name.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    private static string Key(ulong channelId) => string.Create(CultureInfo.InvariantCulture, $"channel-type:{channelId}");
}
