using Microsoft.Extensions.DependencyInjection;
using NewsBot.Commands.Handlers;

namespace NewsBot.Commands;

public static class CommandsServiceCollectionExtensions
{
    public static IServiceCollection AddCommands(this IServiceCollection services)
    {
        services.AddSingleton<CommandCatalogue>();
        services.AddSingleton<CommandRouter>();
        services.AddSingleton<SourceLookup>();
        services.AddSingleton<ICommandHandler, HelpHandler>();
        services.AddSingleton<ICommandHandler, LatestHandler>();
        services.AddSingleton<ICommandHandler, SourcesHandler>();
        return services;
    }
}
