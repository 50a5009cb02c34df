using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NewsBot.Platforms.Telegram;

/// <summary>
/// Webhook mode: Telegram POSTs each update to the path of NewsBot:Telegram:WebhookUrl with the secret in
/// X-Telegram-Bot-Api-Secret-Token (Bot API, setWebhook). The update is handled before answering, so a failure
/// answers 500 and Telegram sends it again (at-least-once); a wrong or missing secret gets 401.
/// </summary>
public sealed partial class TelegramWebhookEndpoints(
    TelegramUpdateHandler handler,
    IOptions<TelegramOptions> options,
    ILogger<TelegramWebhookEndpoints> logger) : IHttpEndpoints
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public string Path => new Uri(options.Value.WebhookUrl).AbsolutePath;

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost(Path, (Delegate)ReceiveAsync);

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        var secret = context.Request.Headers[SecretHeader].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(options.Value.SecretToken)))
        {
            LogBadSecret(logger);
            return Results.Unauthorized();
        }

        Update? update;
        try
        {
            update = await JsonSerializer.DeserializeAsync<Update>(context.Request.Body, JsonBotAPI.Options, context.RequestAborted);
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }

        if (update is null)
        {
            return Results.BadRequest();
        }

        await handler.HandleAsync(update, context.RequestAborted);
        return Results.Ok();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram webhook call refused: missing or wrong secret token")]
    private static partial void LogBadSecret(ILogger logger);
}
