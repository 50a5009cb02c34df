using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NewsBot.Publishing;

namespace NewsBot.ConsolePlatform;

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>The console platform, when enabled: explicitly, or (auto) when no chat platform token is configured.</summary>
    public static IServiceCollection AddConsolePlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var enabled = configuration[$"{ConsoleOptions.Section}:Enabled"] ?? "auto";
        var anyToken = !string.IsNullOrWhiteSpace(configuration["NewsBot:Discord:Token"]) || !string.IsNullOrWhiteSpace(configuration["NewsBot:Telegram:Token"]);
        if (enabled == "on" || (enabled == "auto" && !anyToken))
        {
            services.TryAddSingleton(new ConsoleIO(Console.In, Console.Out));
            services.AddSingleton<ConsolePublisher>();
            services.AddSingleton<IPlatformPublisher>(sp => sp.GetRequiredService<ConsolePublisher>());
            services.AddHostedService<ConsoleCommandService>();
        }

        return services;
    }
}
