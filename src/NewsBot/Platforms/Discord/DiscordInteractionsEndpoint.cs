using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Interactions;

namespace NewsBot.Platforms.Discord;

/// <summary>
/// The optional HTTP interactions endpoint (NewsBot:Discord:InteractionsEndpoint on NewsBot:Http:Urls): Discord
/// POSTs signed interactions and takes the first answer from the HTTP response instead of a callback request.
/// </summary>
public sealed partial class DiscordInteractionsEndpoint(
    DiscordInteractionHandler handler,
    DiscordInteractionVerifier verifier,
    DiscordAdapterState adapter,
    IOptions<DiscordOptions> options,
    ILogger<DiscordInteractionsEndpoint> logger) : IHttpEndpoints
{
    public void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapDiscordInteractions(options.Value.InteractionsEndpoint, verifier, async (interaction, cancellationToken) =>
        {
            var answer = await handler.AnswerAsync(interaction, cancellationToken);
            if (answer.CompleteAsync is { } complete)
            {
                // The deferred reply is edited after this response is written, on the adapter's lifetime.
                _ = Task.Run(() => CompleteAsync(complete), CancellationToken.None);
            }

            return answer.Response;
        });

    private async Task CompleteAsync(Func<CancellationToken, Task> complete)
    {
        try
        {
            await complete(adapter.Stopping);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCompleteFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Finishing a deferred Discord interaction failed")]
    private static partial void LogCompleteFailed(ILogger logger, Exception exception);
}
