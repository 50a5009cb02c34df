using System.Text.Json.Nodes;

namespace NewsBot.Fakes.Discord;

public sealed record RecordedMessage(ulong ChannelId, ulong MessageId, string? Nonce, JsonObject Body, DateTimeOffset ReceivedAt);

/// <summary>ReceivedAt is on the fake's clock, so tests can measure how long an interaction waited for its answer.</summary>
public sealed record RecordedCallback(ulong InteractionId, string Token, JsonObject Body, DateTimeOffset ReceivedAt);

public sealed record RecordedWebhookCall(string Method, ulong WebhookId, string Token, string Path, JsonObject Body);

public sealed record RecordedCommandSet(ulong? GuildId, JsonArray Commands);

public sealed record RecordedResume(string SessionId, long Seq);

/// <summary>
/// An INTERACTION_CREATE: when it was dispatched, when and on which connection (1-based) it first reached a client.
/// Lost: its session ended before it was delivered, so no client will ever see it.
/// </summary>
public sealed record RecordedInteraction(ulong Id, string SessionId, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt, int? Connection, bool Lost);

/// <summary>An IDENTIFY: its shard, when it came (fake clock) and the answer: 0 READY, 9 op 9 (too fast for its bucket), or a close code.</summary>
public sealed record RecordedIdentify(int Shard, int ShardCount, DateTimeOffset At, int Answer)
{
    public const int RateLimited = 9;
}

/// <summary>A shard's latest session; Live while an open connection holds it.</summary>
public sealed record FakeShardSession(int Shard, int ShardCount, string SessionId, bool Live);
