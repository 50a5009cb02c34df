using Microsoft.Extensions.DependencyInjection;

namespace NewsBot.Cli;

public static class CliServiceCollectionExtensions
{
    public static IServiceCollection AddCli(this IServiceCollection services)
    {
        services.AddSingleton<ICliVerb, ParseVerb>();
        return services;
    }
}
