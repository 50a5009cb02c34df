using Microsoft.Extensions.DependencyInjection;
using NewsBot.Feeds;
using NewsBot.Knowledge;
using NewsBot.Enrichment;
using NewsBot.Model;
using NewsBot.Reading;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Feeds;

/// <summary>New articles are enriched in the named sequence of <see cref="EnrichmentStep"/>, not in the order the areas registered.</summary>
public sealed class EnrichmentSequenceTests
{
    [Fact]
    public void InSequence_RegisteredInReverse_RunsReadSummariseTopicsStory()
    {
        IArticleEnricher[] registered = [new FixedStep(EnrichmentStep.JoinStory), new FixedStep(EnrichmentStep.TagTopics), new FixedStep(EnrichmentStep.Summarise), new FixedStep(EnrichmentStep.ReadPage)];

        var steps = SourceRefresher.InSequence(registered).Select(e => e.Step);

        Assert.Equal([EnrichmentStep.ReadPage, EnrichmentStep.Summarise, EnrichmentStep.TagTopics, EnrichmentStep.JoinStory], steps);
    }

    [Fact]
    public void InSequence_TheHostsEnrichers_ReadSummariseTopicsStory()
    {
        using var folder = new TempFolder();
        using var host = TestHosts.Build(folder, new Dictionary<string, string?>());
        using var scope = host.Services.CreateScope();

        var types = SourceRefresher.InSequence(scope.ServiceProvider.GetServices<IArticleEnricher>()).Select(e => e.GetType());

        Assert.Equal([typeof(ArticlePageEnricher), typeof(SummaryEnricher), typeof(TopicEnricher), typeof(SameStoryEnricher)], types);
    }

    private sealed class FixedStep(EnrichmentStep step) : IArticleEnricher
    {
        public EnrichmentStep Step { get; } = step;

        public Task EnrichAsync(ArticleDraft draft, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
