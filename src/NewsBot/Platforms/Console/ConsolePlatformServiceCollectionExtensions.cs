using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NewsBot.Publishing;

namespace NewsBot.Platforms.Console;

public static class ConsolePlatformServiceCollectionExtensions
{
    /// <summary>The console platform, when enabled: explicitly, or (auto) when no chat platform token is configured.</summary>
    public static IServiceCollection AddConsolePlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var enabled = configuration[$"{ConsoleOptions.Section}:Enabled"] ?? "auto";
        var anyToken = !string.IsNullOrWhiteSpace(configuration["NewsBot:Discord:Token"]) || !string.IsNullOrWhiteSpace(configuration["NewsBot:Telegram:Token"]);
        if (enabled == "on" || (enabled == "auto" && !anyToken))
        {
            services.TryAddSingleton(new ConsoleIO(System.Console.In, System.Console.Out));
            services.AddSingleton<ConsolePublisher>();
            services.AddSingleton<IPlatformPublisher>(sp => sp.GetRequiredService<ConsolePublisher>());
            services.AddHostedService<ConsoleCommandService>();
            services.AddSingleton<IComponentHealth>(new FixedComponentHealth("console", new ComponentHealth(HealthState.Ok, "commands on stdin, posts on stdout")));
        }
        else
        {
            var why = enabled == "off" ? "NewsBot:Console:Enabled is off" : "a platform token is set and NewsBot:Console:Enabled is auto";
            services.AddSingleton<IComponentHealth>(new FixedComponentHealth("console", new ComponentHealth(HealthState.Off, why)));
        }

        return services;
    }
}
