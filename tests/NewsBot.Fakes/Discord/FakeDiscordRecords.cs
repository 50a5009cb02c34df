using System.Text.Json.Nodes;

namespace NewsBot.Fakes.Discord;

public sealed record RecordedMessage(ulong ChannelId, ulong MessageId, string? Nonce, JsonObject Body, DateTimeOffset ReceivedAt);

/// <summary>ReceivedAt is on the fake's clock, so tests can measure how long an interaction waited for its answer.</summary>
public sealed record RecordedCallback(ulong InteractionId, string Token, JsonObject Body, DateTimeOffset ReceivedAt);

public sealed record RecordedWebhookCall(string Method, ulong WebhookId, string Token, string Path, JsonObject Body);

public sealed record RecordedCommandSet(ulong? GuildId, JsonArray Commands);

public sealed record RecordedResume(string SessionId, long Seq);
