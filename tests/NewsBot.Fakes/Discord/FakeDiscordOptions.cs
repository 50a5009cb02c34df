namespace NewsBot.Fakes.Discord;

/// <summary>Knobs of the fake Discord; defaults mirror the observed real limits where tests can afford them.</summary>
public sealed class FakeDiscordOptions
{
    public string Token { get; set; } = "fake-bot-token";
    public ulong ApplicationId { get; set; } = 900_000_000_000_000_001;
    public ulong BotUserId { get; set; } = 900_000_000_000_000_002;

    /// <summary>Bot-token requests per sliding second before a global 429.</summary>
    public int GlobalLimitPerSecond { get; set; } = 50;

    /// <summary>POST /channels/{id}/messages bucket: 5 per 5 s per channel is what bots observe.</summary>
    public int ChannelBucketSize { get; set; } = 5;
    public TimeSpan ChannelBucketWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Discord de-duplicates an enforced nonce "for a few minutes".</summary>
    public TimeSpan NonceWindow { get; set; } = TimeSpan.FromMinutes(3);

    public int HeartbeatIntervalMs { get; set; } = 150;

    /// <summary>False makes the gateway accept connections and then stay silent (no Hello).</summary>
    public bool SendHello { get; set; } = true;
    public int Shards { get; set; } = 1;
    public int SessionStartRemaining { get; set; } = 999;
    public long SessionStartResetAfterMs { get; set; }
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>Gateway messages are split into frames of this size, so clients must assemble until EndOfMessage.</summary>
    public int GatewayFrameBytes { get; set; } = 1024;

    /// <summary>Unavailable guild stubs in READY; raise it to make READY span many frames.</summary>
    public int ReadyGuildCount { get; set; } = 3;

    public TimeProvider Time { get; set; } = TimeProvider.System;
}
