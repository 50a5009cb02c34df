using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Gateway;
using NewsBot.Discord.Interactions;
using NewsBot.Discord.Rest;

namespace NewsBot.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>
    /// Registers the REST client (typed HttpClient), the shared rate limiter, the Gateway shard set (with the in-process
    /// identify gate and every shard run by this process; register another <see cref="IIdentifyGate"/> or
    /// <see cref="IShardAllotment"/> first to replace them) and the
    /// interaction verifier. Bind <see cref="DiscordClientOptions"/> yourself or pass <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddDiscordClient(this IServiceCollection services, Action<DiscordClientOptions>? configure = null)
    {
        var options = services.AddOptions<DiscordClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DiscordRateLimiter>();
        services.TryAddSingleton<IGatewaySocketFactory, ClientWebSocketFactory>();
        services.TryAddSingleton<GatewayBotInfoSource>();
        services.TryAddSingleton<IIdentifyGate, InProcessIdentifyGate>();
        services.TryAddSingleton<IShardAllotment, FixedShardAllotment>();
        services.TryAddSingleton<DiscordShardSet>();
        services.TryAddSingleton<DiscordInteractionVerifier>();
        services.AddHttpClient<DiscordRestClient>((provider, http) =>
        {
            var settings = provider.GetRequiredService<IOptions<DiscordClientOptions>>().Value;
            http.Timeout = settings.RequestTimeout;
            http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent",
                $"DiscordBot ({settings.UserAgentUrl}, {settings.UserAgentVersion})");
        });
        return services;
    }
}
