using System.Globalization;
using System.Text.Json.Nodes;

namespace NewsBot.Fakes.Discord;

/// <summary>INTERACTION_CREATE payloads shaped like Discord's, for scenarios that only need a plain slash command.</summary>
public static class FakeInteractions
{
    /// <summary>ADMINISTRATOR.</summary>
    public const ulong Admin = 0x8;

    /// <summary>VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS.</summary>
    public const ulong CanPost = (1UL << 10) | (1UL << 11) | (1UL << 14);

    /// <summary>A guild slash command (type 2) without options, sent by an admin member.</summary>
    public static JsonObject SlashCommand(ulong id, string name, ulong applicationId, ulong guildId, ulong channelId, ulong memberId) => new()
    {
        ["id"] = Id(id),
        ["application_id"] = Id(applicationId),
        ["type"] = 2,
        ["token"] = "itoken-" + Id(id),
        ["version"] = 1,
        ["guild_id"] = Id(guildId),
        ["channel_id"] = Id(channelId),
        ["channel"] = new JsonObject { ["id"] = Id(channelId), ["type"] = 0, ["name"] = "news", ["guild_id"] = Id(guildId) },
        ["member"] = new JsonObject { ["user"] = new JsonObject { ["id"] = Id(memberId), ["username"] = "member" }, ["permissions"] = Id(Admin) },
        ["app_permissions"] = Id(CanPost),
        ["data"] = new JsonObject { ["id"] = "1", ["name"] = name, ["type"] = 1, ["options"] = new JsonArray() },
    };

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
