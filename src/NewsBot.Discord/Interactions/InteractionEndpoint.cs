using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Discord.Rest;
using NewsBot.Discord.Wire;

namespace NewsBot.Discord.Interactions;

public static class InteractionEndpoint
{
    /// <summary>Interaction payloads are small; anything bigger is not Discord.</summary>
    private const int MaxBodyBytes = 1 << 20;

    /// <summary>
    /// Maps the HTTP interactions endpoint: verifies the signature (401 otherwise), answers PING with PONG and
    /// returns the handler's response inline. The handler must answer within Discord's 3 s, so slow commands
    /// should return <see cref="InteractionResponse.Defer"/> and edit the original response later.
    /// </summary>
    public static IEndpointConventionBuilder MapDiscordInteractions(this IEndpointRouteBuilder endpoints, string path,
        Func<Interaction, CancellationToken, Task<InteractionResponse>> handler) =>
        endpoints.MapDiscordInteractions(path, verifier: null, handler);

    /// <param name="verifier">
    /// The verifier to use when the endpoint runs in a web app whose services are not the ones the Discord client
    /// was registered in (null: take it from the request's services).
    /// </param>
    public static IEndpointConventionBuilder MapDiscordInteractions(this IEndpointRouteBuilder endpoints, string path,
        DiscordInteractionVerifier? verifier, Func<Interaction, CancellationToken, Task<InteractionResponse>> handler) =>
        endpoints.MapPost(path, async context =>
        {
            var cancellationToken = context.RequestAborted;
            var body = await ReadBodyAsync(context.Request, cancellationToken);
            if (body is null)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            var verification = (verifier ?? context.RequestServices.GetRequiredService<DiscordInteractionVerifier>()).Verify(context.Request.Headers["X-Signature-Ed25519"], context.Request.Headers["X-Signature-Timestamp"], body);
            if (!verification.IsValid)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            Interaction? interaction;
            try
            {
                interaction = JsonSerializer.Deserialize(body, DiscordJsonContext.Default.Interaction);
            }
            catch (JsonException)
            {
                interaction = null;
            }

            if (interaction is null)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            var response = interaction.Type == InteractionTypes.Ping
                ? InteractionResponse.Pong
                : await handler(interaction, cancellationToken);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, DiscordRestClient.ToCallback(response),
                DiscordJsonContext.Default.InteractionCallback, cancellationToken);
        });

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
