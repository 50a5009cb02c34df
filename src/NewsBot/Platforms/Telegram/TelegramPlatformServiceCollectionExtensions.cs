using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsBot.Publishing;

namespace NewsBot.Platforms.Telegram;

public static class TelegramPlatformServiceCollectionExtensions
{
    /// <summary>The Telegram adapter, when NewsBot:Telegram:Token is set: publisher, receiver (polling or webhook) and command menu.</summary>
    public static IServiceCollection AddTelegramPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelegramOptions>, TelegramOptionsValidator>();
        var options = configuration.GetSection(TelegramOptions.Section).Get<TelegramOptions>() ?? new TelegramOptions();
        if (!options.Enabled)
        {
            services.AddSingleton<IComponentHealth>(new FixedComponentHealth("telegram", new ComponentHealth(HealthState.Off, "NewsBot:Telegram:Token is not set")));
            return services;
        }

        // The HTTP timeout must outlast a long poll, which Telegram holds open for PollTimeout. The factory's request
        // logging is removed: the Bot API puts the token in the URL path, and that log line prints the URL.
        services.AddHttpClient(TelegramBot.HttpClientName, client => client.Timeout = options.PollTimeout + TimeSpan.FromSeconds(30))
            .RemoveAllLoggers();
        services.AddSingleton<TelegramBot>();
        services.AddSingleton<IComponentHealth>(sp => sp.GetRequiredService<TelegramBot>());
        services.AddSingleton<TelegramPublisher>();
        services.AddSingleton<IPlatformPublisher>(sp => sp.GetRequiredService<TelegramPublisher>());
        services.AddSingleton<TelegramAdminCache>();
        services.AddSingleton<TelegramCommandMenu>();
        services.AddSingleton<TelegramUpdateHandler>();
        // In a cluster one process receives (and registers the menu and webhook); alone, this process always does.
        services.AddLeadership(configuration);
        services.AddHostedService<TelegramReceiverService>();
        if (options.UseWebhook)
        {
            services.AddSingleton<IHttpEndpoints, TelegramWebhookEndpoints>();
        }

        return services;
    }
}
