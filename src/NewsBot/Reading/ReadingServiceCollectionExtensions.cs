using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NewsBot.Enrichment;

namespace NewsBot.Reading;

public static class ReadingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ArticleExtractor"/> and <see cref="ArticlePageEnricher"/> as an <see cref="IArticleEnricher"/>, reading
    /// pages through <see cref="ArticlePageFetcher"/> (the feed fetcher, with its limits and address guard) unless a
    /// fetcher is already registered.
    /// </summary>
    public static IServiceCollection AddReading(this IServiceCollection services)
    {
        services.TryAddSingleton<IPageFetcher, ArticlePageFetcher>();
        services.TryAddSingleton<ArticleExtractor>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UnreadablePageLog>();
        // Transient, so it works with a fetcher of any lifetime.
        services.AddTransient<IArticleEnricher, ArticlePageEnricher>();
        return services;
    }
}
