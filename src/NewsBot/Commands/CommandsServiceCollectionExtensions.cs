using Microsoft.Extensions.DependencyInjection;
using NewsBot.Commands.Handlers;

namespace NewsBot.Commands;

public static class CommandsServiceCollectionExtensions
{
    public static IServiceCollection AddCommands(this IServiceCollection services)
    {
        services.AddOptions<OwnerOptions>().BindConfiguration(OwnerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CommandCatalogue>();
        services.AddSingleton<CommandRouter>();
        services.AddSingleton<SourceLookup>();
        services.AddSingleton<CommandAutocomplete>();
        services.AddSingleton<ArticleSearch>();
        services.AddSingleton<ArticleResolver>();
        services.AddSingleton<SubscriptionTargets>();
        services.AddSingleton<ICommandHandler, HelpHandler>();
        services.AddSingleton<ICommandHandler, LatestHandler>();
        services.AddSingleton<ICommandHandler, SummaryHandler>();
        services.AddSingleton<ICommandHandler, TopicsHandler>();
        services.AddSingleton<ICommandHandler, TopicHandler>();
        services.AddSingleton<ICommandHandler, SearchHandler>();
        services.AddSingleton<ICommandHandler, RelatedHandler>();
        services.AddSingleton<ICommandHandler, SourcesHandler>();
        services.AddSingleton<ICommandHandler, StatusHandler>();
        services.AddSingleton<ICommandHandler, SourceHandler>();
        services.AddSingleton<SubscribeHandler>();
        services.AddSingleton<ICommandHandler>(sp => sp.GetRequiredService<SubscribeHandler>());
        services.AddSingleton<ICommandHandler, UnsubscribeHandler>();
        services.AddSingleton<ICommandHandler, SubscriptionsHandler>();
        services.AddSingleton<ICommandHandler, SettingsHandler>();
        services.AddSingleton<ICommandHandler, ExportHandler>();
        services.AddSingleton<ICommandHandler, ImportHandler>();
        return services;
    }
}
