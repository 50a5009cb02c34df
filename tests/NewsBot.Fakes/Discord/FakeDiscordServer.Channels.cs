using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NewsBot.Fakes.Discord;

/// <summary>A channel the fake knows: a text channel, a forum with its tags, or a thread.</summary>
public sealed class FakeChannel
{
    public required ulong Id { get; init; }
    public required int Type { get; init; }
    public string Name { get; init; } = "channel";
    public ulong? ParentId { get; init; }
    /// <summary>Forum channel flags; REQUIRE_TAG (16): a post without a tag is refused with 40067.</summary>
    public int Flags { get; init; }
    public IReadOnlyList<FakeForumTag> Tags { get; init; } = [];
    public IReadOnlyList<ulong> AppliedTags { get; init; } = [];
    public bool Archived { get; set; }
    public bool Locked { get; set; }

    public bool IsForum => Type is 15 or 16;

    public bool IsThread => Type is 10 or 11 or 12;
}

public sealed record FakeForumTag(ulong Id, string Name, bool Moderated = false);

/// <summary>A post the bot opened in a forum: the thread and its starter message.</summary>
public sealed record RecordedForumPost(ulong ForumId, ulong ThreadId, string Name, IReadOnlyList<ulong> AppliedTags, RecordedMessage Starter);

/// <summary>
/// Channels, forums and threads (channel resource): GET /channels/{id}, POST /channels/{id}/threads ("Start Thread in
/// Forum or Media Channel") with its documented limits and errors, and the channel-type errors of posting a message
/// (40058 in a forum, 50083 in a locked archived thread).
/// </summary>
public sealed partial class FakeDiscordServer
{
    /// <summary>Forum post names are 1–100 characters; a post carries at most 5 tags.</summary>
    public const int ThreadNameLimit = 100;
    public const int AppliedTagsLimit = 5;

    /// <summary>Channel flag REQUIRE_TAG.</summary>
    public const int RequireTagFlag = 1 << 4;

    private readonly ConcurrentDictionary<ulong, FakeChannel> _channels = new();
    private readonly ConcurrentQueue<RecordedForumPost> _forumPosts = new();

    public IReadOnlyList<RecordedForumPost> ForumPosts => [.. _forumPosts];

    public FakeChannel AddChannel(FakeChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channels[channel.Id] = channel;
        return channel;
    }

    public FakeChannel? FindChannel(ulong id) => _channels.GetValueOrDefault(id);

    private void MapChannels(IEndpointRouteBuilder api)
    {
        api.MapGet("/channels/{channelId}", context => Bot(context, async () =>
        {
            var channelId = RouteId(context, "channelId");
            if (await ChannelFailureAsync(context, channelId))
            {
                return;
            }

            await (_channels.TryGetValue(channelId, out var channel)
                ? Json(context, 200, ChannelJson(channel))
                : Json(context, 404, new JsonObject { ["message"] = "Unknown Channel", ["code"] = 10003 }));
        }));
        api.MapPost("/channels/{channelId}/threads", context => Bot(context, () => CreateForumPostAsync(context, RouteId(context, "channelId"))));
    }

    /// <summary>Refusals for a message posted to a channel that cannot take one; null when it can.</summary>
    private (int Status, int Code, string Message)? MessageRefusal(ulong channelId)
    {
        if (!_channels.TryGetValue(channelId, out var channel))
        {
            return null;
        }

        if (channel.IsForum)
        {
            return (400, 40058, "Cannot send a message in a forum channel");
        }

        if (channel.IsThread && channel.Archived)
        {
            if (channel.Locked)
            {
                return (400, 50083, "Thread is archived");
            }

            // A message unarchives an archived thread that is not locked.
            channel.Archived = false;
        }

        return null;
    }

    private async Task CreateForumPostAsync(HttpContext context, ulong forumId)
    {
        if (await ChannelFailureAsync(context, forumId))
        {
            return;
        }

        if (!_channels.TryGetValue(forumId, out var forum))
        {
            await Json(context, 404, new JsonObject { ["message"] = "Unknown Channel", ["code"] = 10003 });
            return;
        }

        if (!forum.IsForum)
        {
            // Threads without a starter message need a "type"; NewsBot only starts forum posts.
            await Json(context, 400, new JsonObject { ["message"] = "Cannot execute action on this channel type", ["code"] = 50024 });
            return;
        }

        if (await ChannelRateLimitedAsync(context, forumId))
        {
            return;
        }

        var body = await ReadBodyAsync(context);
        var name = body["name"] is JsonValue nameValue && nameValue.TryGetValue<string>(out var text) ? text.Trim() : "";
        var message = body["message"] as JsonObject;
        var tags = (body["applied_tags"] as JsonArray ?? []).Select(t => ulong.Parse(t!.GetValue<string>(), CultureInfo.InvariantCulture)).ToList();
        var problem = name.Length is 0 or > ThreadNameLimit ? FormError("name", "BASE_TYPE_BAD_LENGTH", $"Must be between 1 and {ThreadNameLimit} in length.")
            : message is null ? FormError("message", "BASE_TYPE_REQUIRED", "This field is required")
            : tags.Count > AppliedTagsLimit ? FormError("applied_tags", "BASE_TYPE_MAX_LENGTH", $"Must be {AppliedTagsLimit} or fewer in length.")
            : tags.FirstOrDefault(t => forum.Tags.All(known => known.Id != t)) is var unknown and not 0 ? FormError("applied_tags", "INVALID_TAG", $"Unknown tag {unknown}.")
            : (message["flags"]?.GetValue<int>() ?? 0) is var flags && (flags & ~(4 | 4096)) != 0 ? FormError("message.flags", "MESSAGE_FLAGS_INVALID", "Only SUPPRESS_EMBEDS and SUPPRESS_NOTIFICATIONS can be set.")
            : Validate(message);
        if (problem is not null)
        {
            await Json(context, 400, new JsonObject { ["code"] = 50035, ["message"] = "Invalid Form Body", ["errors"] = problem });
            return;
        }

        if (message!["content"] is null && (message["embeds"] as JsonArray ?? []).Count == 0)
        {
            await Json(context, 400, new JsonObject { ["message"] = "Cannot send an empty message", ["code"] = 50006 });
            return;
        }

        if ((forum.Flags & RequireTagFlag) != 0 && tags.Count == 0)
        {
            await Json(context, 400, new JsonObject { ["message"] = "A tag is required to create a forum post in this channel", ["code"] = 40067 });
            return;
        }

        // The starter message has the thread's id.
        var threadId = ulong.Parse(NewId(), CultureInfo.InvariantCulture);
        var thread = AddChannel(new FakeChannel { Id = threadId, Type = 11, Name = name, ParentId = forumId, AppliedTags = tags });
        var starter = new RecordedMessage(threadId, threadId, null, (JsonObject)message.DeepClone(), _options.Time.GetUtcNow());
        _messages.Enqueue(starter);
        _forumPosts.Enqueue(new RecordedForumPost(forumId, threadId, name, tags, starter));
        Changed.Pulse();

        var answer = ChannelJson(thread);
        var starterJson = (JsonObject)message.DeepClone();
        starterJson["id"] = Id(threadId);
        starterJson["channel_id"] = Id(threadId);
        answer["message"] = starterJson;
        await Json(context, 201, answer);
    }

    private static JsonObject ChannelJson(FakeChannel channel)
    {
        var json = new JsonObject
        {
            ["id"] = Id(channel.Id),
            ["type"] = channel.Type,
            ["name"] = channel.Name,
            ["flags"] = channel.Flags,
        };
        if (channel.ParentId is { } parent)
        {
            json["parent_id"] = Id(parent);
        }

        if (channel.IsForum)
        {
            json["available_tags"] = new JsonArray([.. channel.Tags.Select(t => (JsonNode)new JsonObject { ["id"] = Id(t.Id), ["name"] = t.Name, ["moderated"] = t.Moderated })]);
        }

        if (channel.IsThread)
        {
            json["applied_tags"] = new JsonArray([.. channel.AppliedTags.Select(t => (JsonNode)JsonValue.Create(Id(t)))]);
            json["thread_metadata"] = new JsonObject { ["archived"] = channel.Archived, ["locked"] = channel.Locked };
        }

        return json;
    }

    private static JsonObject FormError(string path, string code, string message) =>
        new() { [path] = new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) } };

    private static ulong RouteId(HttpContext context, string name) =>
        ulong.Parse((string)context.Request.RouteValues[name]!, CultureInfo.InvariantCulture);
}
