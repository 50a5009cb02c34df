using Microsoft.Extensions.Options;
using NewsBot.Enrichment;
using NewsBot.Model;

namespace NewsBot.Knowledge;

/// <summary>The configured topic rules, compiled once.</summary>
public sealed class TopicRuleSet(IOptions<KnowledgeOptions> options)
{
    public IReadOnlyList<TopicRule> Rules { get; } = options.Value.Rules
        .Select(rule => new TopicRule(rule.Name, rule.Keywords, rule.Pattern))
        .ToList();
}

/// <summary>
/// Tags a new article with topics: the feed's categories, the configured rules it matches, and its
/// statistical keyphrases (IDF from the archive; an empty archive still works). One topic key is added once.
/// </summary>
public sealed class TopicEnricher(TopicRuleSet rules, IDocumentFrequencies frequencies, IOptions<KnowledgeOptions> options) : IArticleEnricher
{
    private readonly KeyphraseExtractor _keyphrases = new(frequencies);

    public EnrichmentStep Step => EnrichmentStep.TagTopics;

    public Task EnrichAsync(ArticleDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        cancellationToken.ThrowIfCancellationRequested();
        for (var i = 0; i < draft.Topics.Count; i++)
        {
            if (draft.Topics[i].Origin == TopicOrigin.Category)
            {
                draft.Topics[i] = draft.Topics[i] with { Name = TopicNames.FromCategory(draft.Topics[i].Name) };
            }
        }

        var keys = draft.Topics.Select(t => TopicNames.Normalize(t.Name).Key).ToHashSet(StringComparer.Ordinal);
        foreach (var category in draft.Categories)
        {
            Add(draft, keys, new TopicTag(TopicNames.FromCategory(category.Trim()), TopicOrigin.Category));
        }

        var text = SummaryEnricher.ArticleText(draft);
        foreach (var rule in rules.Rules)
        {
            if (rule.Matches(draft.Title, text))
            {
                Add(draft, keys, new TopicTag(rule.Name, TopicOrigin.Rule));
            }
        }

        var phrases = frequencies.DocumentCount >= options.Value.MinArchiveForKeyphrases
            ? _keyphrases.Extract(draft.Title, text, options.Value.KeyphraseCount, draft.Language)
            : [];
        var best = phrases.Count > 0 ? phrases[0].Score : 1;
        foreach (var phrase in phrases)
        {
            Add(draft, keys, new TopicTag(phrase.Name, TopicOrigin.Keyphrase, phrase.Score / best));
        }

        return Task.CompletedTask;
    }

    private static void Add(ArticleDraft draft, HashSet<string> keys, TopicTag tag)
    {
        var key = TopicNames.Normalize(tag.Name).Key;
        if (key.Length > 0 && keys.Add(key))
        {
            draft.Topics.Add(tag);
        }
    }
}
