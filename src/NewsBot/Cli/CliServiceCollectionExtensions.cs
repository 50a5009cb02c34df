using Microsoft.Extensions.DependencyInjection;

namespace NewsBot.Cli;

public static class CliServiceCollectionExtensions
{
    public static IServiceCollection AddCli(this IServiceCollection services)
    {
        services.AddSingleton<ICliVerb, ParseVerb>();
        services.AddSingleton<ICliVerb, ExtractVerb>();
        services.AddSingleton<ICliVerb, SummarizeVerb>();
        services.AddSingleton<ICliVerb, SearchVerb>();
        services.AddSingleton<ICliVerb, SourcesVerb>();
        services.AddSingleton<ICliVerb, StatusVerb>();
        services.AddSingleton<ICliVerb, DbVerb>();
        services.AddSingleton<DbCopyVerb>();
        services.AddSingleton<ICliVerb, HealthcheckVerb>();
        return services;
    }
}
