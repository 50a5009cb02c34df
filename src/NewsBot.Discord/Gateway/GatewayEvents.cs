using NewsBot.Discord.Wire;

namespace NewsBot.Discord.Gateway;

public enum GatewayConnectionState
{
    Disconnected,
    Connecting,
    Identifying,
    Resuming,
    Connected,
    Stopped,
}

/// <summary>What the Gateway client hands to the host, in arrival order.</summary>
public abstract record GatewayEvent;

public sealed record GatewayReady(ReadyData Ready) : GatewayEvent;

public sealed record GatewayResumed : GatewayEvent;

public sealed record InteractionReceived(Interaction Interaction) : GatewayEvent;

/// <summary>Unavailable=false means the bot was removed from the guild; true is only an outage.</summary>
public sealed record GuildDeleted(ulong GuildId, bool Unavailable) : GatewayEvent;

public sealed record ChannelDeleted(PartialChannel Channel) : GatewayEvent;

public sealed record ConnectionStateChanged(GatewayConnectionState State, string? Detail) : GatewayEvent;

/// <summary>
/// What a new process needs to RESUME instead of IDENTIFY (identifies are limited to 1000 a day). LastActiveAt is when
/// the Gateway last spoke on this session; a session older than Discord keeps it is identified anew (null: unknown).
/// </summary>
public sealed record GatewaySession(string SessionId, string ResumeGatewayUrl, long? Sequence, DateTimeOffset? LastActiveAt = null);

/// <summary>
/// The Gateway has not been reachable since <paramref name="Since"/>: connections or GET /gateway/bot failed
/// <paramref name="FailedAttempts"/> times in a row; the next attempt is due at <paramref name="NextAttemptAt"/>.
/// </summary>
public sealed record GatewayOutage(DateTimeOffset Since, int FailedAttempts, string LastError, DateTimeOffset NextAttemptAt);

/// <summary>A configuration problem Discord will not forgive by reconnecting; Message names the setting to fix.</summary>
public sealed record GatewayFatalError(int? CloseCode, string Reason, string Message);
