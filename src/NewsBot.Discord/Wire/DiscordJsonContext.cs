using System.Text.Json.Serialization;

namespace NewsBot.Discord.Wire;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(SnowflakeJsonConverter)])]
[JsonSerializable(typeof(MessageRequest))]
[JsonSerializable(typeof(WebhookMessageRequest))]
[JsonSerializable(typeof(Message))]
[JsonSerializable(typeof(Webhook))]
[JsonSerializable(typeof(WebhookCreateRequest))]
[JsonSerializable(typeof(Application))]
[JsonSerializable(typeof(Interaction))]
[JsonSerializable(typeof(InteractionCallback))]
[JsonSerializable(typeof(ApplicationCommand))]
[JsonSerializable(typeof(IReadOnlyList<ApplicationCommand>))]
[JsonSerializable(typeof(GatewayPayload))]
[JsonSerializable(typeof(GatewayCommand<long?>))]
[JsonSerializable(typeof(GatewayCommand<IdentifyData>))]
[JsonSerializable(typeof(GatewayCommand<ResumeData>))]
[JsonSerializable(typeof(GatewayCommand<PresenceUpdateData>))]
[JsonSerializable(typeof(HelloData))]
[JsonSerializable(typeof(ReadyData))]
[JsonSerializable(typeof(UnavailableGuild))]
[JsonSerializable(typeof(PartialChannel))]
[JsonSerializable(typeof(GatewayBotInfo))]
[JsonSerializable(typeof(ChannelInfo))]
[JsonSerializable(typeof(ForumThreadRequest))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(RateLimitBody))]
public sealed partial class DiscordJsonContext : JsonSerializerContext;
