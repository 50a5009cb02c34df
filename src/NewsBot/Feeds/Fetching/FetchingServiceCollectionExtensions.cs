using Microsoft.Extensions.DependencyInjection;

namespace NewsBot.Feeds.Fetching;

public static class FetchingServiceCollectionExtensions
{
    public static IServiceCollection AddFeedFetching(this IServiceCollection services)
    {
        services.AddHttpClient(FeedFetcher.HttpClientName);
        services.AddSingleton<FeedFetcher>();
        return services;
    }
}
