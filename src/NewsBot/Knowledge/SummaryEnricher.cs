using Microsoft.Extensions.Options;
using NewsBot.Enrichment;
using NewsBot.Model;
using NewsBot.Text;

namespace NewsBot.Knowledge;

/// <summary>
/// Adds the summary (extractive, or from the language model when one is configured), the language and the
/// story fingerprint to a new article.
/// </summary>
public sealed class SummaryEnricher(Summarizer summarizer, LlmSummarizer llm, IOptions<KnowledgeOptions> options) : IArticleEnricher
{
    public EnrichmentStep Step => EnrichmentStep.Summarise;

    public async Task EnrichAsync(ArticleDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        cancellationToken.ThrowIfCancellationRequested();
        var text = ArticleText(draft);
        if (text is not null)
        {
            var summaryOptions = new SummaryOptions
            {
                MaxSentences = options.Value.SummarySentences,
                MaxCharacters = options.Value.MaxSummaryCharacters,
                Title = draft.Title,
            };
            var summary = llm.IsEnabled
                ? await llm.SummarizeAsync(text, summaryOptions, cancellationToken)
                : summarizer.Summarize(text, summaryOptions);
            if (summary.Sentences.Count > 0)
            {
                draft.Summary ??= summary.Text;
            }

            draft.Language ??= summary.Language;
        }

        draft.Language ??= LanguageDetector.Detect(draft.Title);
        draft.Fingerprint = StoryFingerprint.Compute(draft.Title, StoryFingerprint.Lead(text));
    }

    /// <summary>The best plain text the draft has: extracted text, else the feed's full content, else its teaser.</summary>
    public static string? ArticleText(ArticleDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return NonBlank(draft.Text) ?? HtmlText.ToPlainText(draft.ContentHtml) ?? NonBlank(draft.Teaser);
    }

    private static string? NonBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
