using Microsoft.Extensions.DependencyInjection;
using NewsBot.Feeds;
using NewsBot.Runtime;
using NewsBot.Storage;

namespace NewsBot.Publishing;

public static class PublishingServiceCollectionExtensions
{
    public static IServiceCollection AddPublishing(this IServiceCollection services)
    {
        services.AddOptions<PublishingOptions>().BindConfiguration(PublishingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SubscriptionMatcher>();
        services.AddSingleton<IDeliveryPlanner, DeliveryPlanner>();
        services.AddSingleton<PostLoader>();
        services.AddSingleton<PostTemplateRenderer>();
        services.AddSingleton<ISourceFailureNotifier, SourceFailureNotifier>();
        services.AddSingleton<ChannelSchedule>();
        services.AddSingleton<DeliverySettler>();
        services.AddSingleton<ClaimedChannels>();
        services.AddSingleton<IClusterHoldings>(sp => sp.GetRequiredService<ClaimedChannels>());
        services.AddSingleton<DeliveryClaims>();
        services.AddSingleton<DeliveryDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryDispatcher>());
        return services;
    }
}
