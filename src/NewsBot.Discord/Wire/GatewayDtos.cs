using System.Text.Json;
using System.Text.Json.Serialization;

namespace NewsBot.Discord.Wire;

/// <summary>Every received gateway payload: d stays raw until op/t say what it is.</summary>
public sealed record GatewayPayload
{
    public int Op { get; init; }
    public JsonElement? D { get; init; }
    public long? S { get; init; }
    public string? T { get; init; }
}

/// <summary>A payload we send; d must be written even when null (heartbeat before the first dispatch).</summary>
public sealed record GatewayCommand<TData>
{
    public int Op { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public TData? D { get; init; }
}

public static class GatewayOpcodes
{
    public const int Dispatch = 0;
    public const int Heartbeat = 1;
    public const int Identify = 2;
    public const int PresenceUpdate = 3;
    public const int Resume = 6;
    public const int Reconnect = 7;
    public const int InvalidSession = 9;
    public const int Hello = 10;
    public const int HeartbeatAck = 11;
}

public sealed record HelloData
{
    public int HeartbeatInterval { get; init; }
}

public sealed record IdentifyData
{
    public required string Token { get; init; }
    public int Intents { get; init; }
    public required IdentifyProperties Properties { get; init; }
    public IReadOnlyList<int>? Shard { get; init; }
}

public sealed record IdentifyProperties
{
    public required string Os { get; init; }
    public required string Browser { get; init; }
    public required string Device { get; init; }
}

public sealed record ResumeData
{
    public required string Token { get; init; }
    public required string SessionId { get; init; }
    public long Seq { get; init; }
}

public sealed record ReadyData
{
    public int V { get; init; }
    public User? User { get; init; }
    public IReadOnlyList<UnavailableGuild>? Guilds { get; init; }
    public string SessionId { get; init; } = "";
    public string ResumeGatewayUrl { get; init; } = "";
    public IReadOnlyList<int>? Shard { get; init; }
    public ReadyApplication? Application { get; init; }
}

public sealed record ReadyApplication
{
    public ulong Id { get; init; }
    public int? Flags { get; init; }
}

/// <summary>GUILD_DELETE: unavailable=true is an outage, absent/false means the bot was removed.</summary>
public sealed record UnavailableGuild
{
    public ulong Id { get; init; }
    public bool? Unavailable { get; init; }
}

/// <summary>GET /gateway/bot.</summary>
public sealed record GatewayBotInfo
{
    public string Url { get; init; } = "";
    public int Shards { get; init; }
    public SessionStartLimit SessionStartLimit { get; init; } = new();
}

/// <summary>reset_after is in milliseconds.</summary>
public sealed record SessionStartLimit
{
    public int Total { get; init; }
    public int Remaining { get; init; }
    public long ResetAfter { get; init; }
    public int MaxConcurrency { get; init; } = 1;
}

/// <summary>op 3 Presence Update; since must be written even when null.</summary>
public sealed record PresenceUpdateData
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? Since { get; init; }

    public IReadOnlyList<Activity> Activities { get; init; } = [];
    public string Status { get; init; } = "online";
    public bool Afk { get; init; }
}

/// <summary>Type 4 is a custom status whose text is in state.</summary>
public sealed record Activity
{
    public required string Name { get; init; }
    public int Type { get; init; }
    public string? State { get; init; }
}
