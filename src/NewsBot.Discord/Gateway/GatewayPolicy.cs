namespace NewsBot.Discord.Gateway;

internal enum NextStep
{
    Resume,
    Identify,
    Fatal,
}

/// <summary>How a connection ended and what the run loop does next.</summary>
internal sealed record ConnectionOutcome(NextStep Next, string Why, TimeSpan? Delay = null, GatewayFatalError? Fatal = null)
{
    /// <summary>True once READY or RESUMED arrived on this connection: the backoff starts over.</summary>
    public bool WasHealthy { get; init; }

    /// <summary>The URL did not answer: the socket could not connect, or no Hello came in time.</summary>
    public bool Unanswered { get; init; }
}

/// <summary>Pure timing and close-code rules of the Gateway docs, kept apart so they are easy to test.</summary>
internal static class GatewayPolicy
{
    public static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A session stays resumable for minutes after a drop (gateway doc, "Resuming"); past this age a stored session
    /// is taken as ended and a new one identified, rather than spending retries on a resume Discord would refuse.
    /// </summary>
    public static readonly TimeSpan ResumableFor = TimeSpan.FromMinutes(5);

    /// <summary>Resume attempts whose URL does not answer before the session is given up and a new one identified.</summary>
    public const int MaxUnansweredResumes = 2;

    /// <summary>Discord allows max_concurrency identifies per 5 s.</summary>
    public static readonly TimeSpan IdentifySpacing = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Added to <see cref="IdentifySpacing"/> between identifies of one bucket: Discord counts from when an IDENTIFY
    /// arrives, the gate from when it was sent, and a slow first one must not make the next arrive early.
    /// </summary>
    public static readonly TimeSpan IdentifyArrivalMargin = TimeSpan.FromSeconds(1);

    /// <summary>First heartbeat after interval × jitter with jitter in [0,1) (gateway doc, "Sending Heartbeats").</summary>
    public static TimeSpan FirstHeartbeat(TimeSpan interval, double jitter) => interval * jitter;

    /// <summary>0.5 s after a healthy connection, then 1, 2, 4 … s with ±25% jitter, never above 60 s.</summary>
    public static TimeSpan ReconnectDelay(int failures, double jitter)
    {
        if (failures <= 0)
        {
            return TimeSpan.FromMilliseconds(500);
        }

        var seconds = Math.Pow(2, Math.Min(failures - 1, 10)) * (0.75 + (jitter * 0.5));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxReconnectDelay.TotalSeconds));
    }

    /// <summary>Op 9 with d:false: clients wait a random 1–5 s before identifying again.</summary>
    public static TimeSpan InvalidSessionDelay(double jitter) => TimeSpan.FromSeconds(1 + (jitter * 4));

    /// <summary>
    /// Close codes (opcodes-and-status-codes doc): the config ones are fatal; 4003/4005/4007/4009 are about the session
    /// itself, so a new one is identified; the rest resume, Discord's own 1000/1001 and 4008 (rate limited) included:
    /// a resume of a session that did end costs one op 9 round trip, a needless identify loses the events the resume
    /// would replay and spends the daily identify budget.
    /// </summary>
    public static ConnectionOutcome FromCloseCode(int? code, string? reason)
    {
        var detail = $"closed with {(code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code")}{(string.IsNullOrEmpty(reason) ? "" : $" ({reason})")}";
        return code switch
        {
            4004 => Fatal(4004, "discord.gateway_auth_failed", "Discord rejected the token (4004): check NewsBot:Discord:Token"),
            4010 => Fatal(4010, "discord.gateway_invalid_shard", "Discord rejected the shard (4010): check NewsBot:Discord:Shards and ShardCount"),
            4011 => Fatal(4011, "discord.gateway_sharding_required", "Discord requires sharding (4011): set NewsBot:Discord:ShardCount or leave it empty to use the recommended count"),
            4012 => Fatal(4012, "discord.gateway_invalid_version", "Discord rejected the API version (4012): the client must use Gateway v10"),
            4013 => Fatal(4013, "discord.gateway_invalid_intents", "Discord rejected the intents (4013): check NewsBot:Discord:Intents"),
            4014 => Fatal(4014, "discord.gateway_disallowed_intents", "Discord refused privileged intents (4014): enable them in the Developer Portal or remove them from NewsBot:Discord:Intents"),
            4003 or 4005 or 4007 or 4009 => new(NextStep.Identify, detail),
            _ => new(NextStep.Resume, detail),
        };
    }

    public static int ShardFor(ulong guildId, int shardCount) => (int)((guildId >> 22) % (ulong)shardCount);

    private static ConnectionOutcome Fatal(int code, string reason, string message) =>
        new(NextStep.Fatal, message, Fatal: new GatewayFatalError(code, reason, message));
}
