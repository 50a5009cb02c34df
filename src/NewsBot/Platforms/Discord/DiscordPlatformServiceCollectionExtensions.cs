using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsBot.Discord;
using NewsBot.Discord.Gateway;
using NewsBot.Publishing;
using NewsBot.Runtime;

namespace NewsBot.Platforms.Discord;

public static class DiscordPlatformServiceCollectionExtensions
{
    /// <summary>
    /// The Discord adapter, when NewsBot:Discord:Token is set: client, Gateway service, publisher, interactions. In a
    /// cluster the shards are leased (<see cref="LeasedShardAllotment"/>) and identifies paced across processes
    /// (<see cref="LeasedIdentifyGate"/>).
    /// </summary>
    public static IServiceCollection AddDiscordPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[$"{DiscordOptions.Section}:Token"]))
        {
            services.AddSingleton<IComponentHealth>(new FixedComponentHealth("discord", new ComponentHealth(HealthState.Off, "NewsBot:Discord:Token is not set")));
            return services;
        }

        services.AddOptions<DiscordOptions>().BindConfiguration(DiscordOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>();
        services.AddLeadership(configuration);
        if (ClusterOptions.IsEnabled(configuration))
        {
            // Before AddDiscordClient, which adds the one-process gate and allotment only when none is registered.
            services.AddSingleton<IIdentifyGate, LeasedIdentifyGate>();
            services.AddSingleton<LeasedShardAllotment>();
            services.AddSingleton<IShardAllotment>(sp => sp.GetRequiredService<LeasedShardAllotment>());
            services.AddSingleton<IClusterHoldings>(sp => sp.GetRequiredService<LeasedShardAllotment>());
        }

        services.AddDiscordClient();
        services.AddOptions<DiscordClientOptions>().BindConfiguration(DiscordClientOptions.SectionName);
        services.AddSingleton<DiscordAdapterState>();
        services.AddSingleton<DiscordCommandRegistrar>();
        services.AddSingleton<DiscordChannelKinds>();
        services.AddSingleton<DiscordInteractionHandler>();
        services.AddSingleton<DiscordPublisher>();
        services.AddSingleton<IPlatformPublisher>(sp => sp.GetRequiredService<DiscordPublisher>());
        services.AddSingleton<DiscordGatewayService>();
        services.AddHostedService(sp => sp.GetRequiredService<DiscordGatewayService>());
        services.AddSingleton<IComponentHealth>(sp => sp.GetRequiredService<DiscordGatewayService>());
        if (!string.IsNullOrWhiteSpace(configuration[$"{DiscordOptions.Section}:InteractionsEndpoint"]))
        {
            services.AddSingleton<IHttpEndpoints, DiscordInteractionsEndpoint>();
        }

        return services;
    }
}
