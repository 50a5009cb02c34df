using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NewsBot.Enrichment;
using NewsBot.Storage;

namespace NewsBot.Knowledge;

public static class KnowledgeServiceCollectionExtensions
{
    /// <summary>
    /// Summaries, language, fingerprints and topics for new articles. The enrichers are added in the order
    /// summary → topics (topics read the language the summary step found); call this after the enrichers that
    /// fetch the article text. Register the store's <see cref="IDocumentFrequencies"/> with AddSingleton or
    /// AddScoped (before or after): until then an empty archive is assumed. A language model writes the
    /// summaries only when NewsBot:Knowledge:Llm:Endpoint is set.
    /// </summary>
    public static IServiceCollection AddKnowledge(this IServiceCollection services)
    {
        services.AddOptions<KnowledgeOptions>()
            .BindConfiguration(KnowledgeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<Summarizer>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(LlmSummarizer.HttpClientName);
        services.TryAddSingleton<LlmSummarizer>();
        services.TryAddSingleton<SummaryTranslator>();
        services.TryAddSingleton<TopicRuleSet>();
        // Replaces a simpler normaliser registered by storage, whichever of the two is added first.
        services.Replace(ServiceDescriptor.Singleton<ITopicNormalizer, TopicNormalizer>());
        services.TryAddSingleton<IDocumentFrequencies, EmptyDocumentFrequencies>();
        // Scoped: the store's frequencies may live in the unit of work's scope.
        services.AddScoped<IArticleEnricher, SummaryEnricher>();
        services.AddScoped<IArticleEnricher, TopicEnricher>();
        return services;
    }

    /// <summary>
    /// The parts that read the stored archive: document frequencies for keyphrases, related articles and same-story
    /// detection (the last enrichment step). Call after <see cref="AddKnowledge"/>, with the store registered.
    /// </summary>
    public static IServiceCollection AddKnowledgeArchive(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Scoped<IDocumentFrequencies, ArchiveDocumentFrequencies>());
        services.TryAddSingleton<RecentStories>();
        services.TryAddSingleton<RelatedArticleFinder>();
        services.AddScoped<IArticleEnricher, SameStoryEnricher>();
        return services;
    }
}
