using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using NewsBot.Enrichment;
using NewsBot.Model;
using NewsBot.Text;

namespace NewsBot.Reading;

/// <summary>
/// Pipeline step that reads the article page when the feed gave only a teaser (per the source's full-text mode)
/// and fills in the text, missing metadata, related links and page tags. A failure leaves the draft as it was.
/// </summary>
public sealed partial class ArticlePageEnricher(ArticleExtractor extractor, IPageFetcher fetcher, UnreadablePageLog unreadable, ILogger<ArticlePageEnricher> logger)
    : IArticleEnricher
{
    /// <summary>Feed text shorter than this (in characters) is taken for a teaser in Auto mode.</summary>
    public const int TeaserLength = 600;

    public EnrichmentStep Step => EnrichmentStep.ReadPage;

    public async Task EnrichAsync(ArticleDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var feedText = HtmlText.ToPlainText(draft.ContentHtml) ?? draft.Text ?? string.Empty;
        if (draft.Url is null || !ShouldRead(draft.Source.FullText, feedText))
        {
            return;
        }

        var page = await fetcher.FetchPageAsync(draft.Url, draft.Source.FromConfig, cancellationToken);
        if (!page.Succeeded)
        {
            ReadFailed(draft.Source.Id, draft.Url, page.Error!);
            return;
        }

        ExtractedArticle article;
        try
        {
            article = extractor.Extract(page.Content, page.ContentType, page.FinalUrl ?? new Uri(draft.Url));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The extractor has no expected failures: this is a bug, but one page must not stop the pipeline.
            LogExtractorFailed(draft.Source.Id, draft.Url, exception);
            return;
        }

        if (article.Paragraphs.Count == 0)
        {
            ReadFailed(draft.Source.Id, draft.Url, "reading.no_text");
            return;
        }

        Apply(draft, article, feedText);
        LogRead(draft.Source.Id, draft.Url, article.Text.Length, article.Related.Count);
    }

    /// <summary>Whether to fetch the page: never, always, or (Auto) when the feed's text is short or ends like a teaser.</summary>
    public static bool ShouldRead(FullTextMode mode, string feedText) => mode switch
    {
        FullTextMode.Never => false,
        FullTextMode.Always => true,
        _ => feedText.Length < TeaserLength || TeaserEnding().IsMatch(feedText),
    };

    private static void Apply(ArticleDraft draft, ExtractedArticle article, string feedText)
    {
        if (article.Text.Length > Math.Max(feedText.Length, draft.Text?.Length ?? 0))
        {
            draft.Text = article.Text;
        }

        draft.ImageUrl ??= article.ImageUrl;
        draft.Language ??= article.Language;
        draft.Author ??= article.Byline;
        // A page date far ahead of when the item was first seen is a placeholder or a typo, not a publication time.
        draft.PublishedAt ??= article.Published <= draft.FirstSeenAt + TimeSpan.FromDays(2) ? article.Published : null;

        var known = new HashSet<string>(draft.Related.Select(link => UrlCanonicalizer.IdentityOf(link.Url)), StringComparer.OrdinalIgnoreCase);
        if (UrlCanonicalizer.Canonicalize(draft.Url, null) is { } self)
        {
            known.Add(UrlCanonicalizer.IdentityOf(self));
        }

        draft.Related.AddRange(article.Related.Where(link => known.Add(UrlCanonicalizer.IdentityOf(link.Url))));

        var topics = new HashSet<string>(draft.Topics.Select(topic => topic.Name), StringComparer.OrdinalIgnoreCase);
        draft.Topics.AddRange(article.TopicCandidates.Where(topics.Add).Select(name => new TopicTag(name, TopicOrigin.PageTag)));
    }

    // "…", "...", "[…]", "Read more", "Continue reading", "Weiterlesen", "Lire la suite", "Leer más", "Leia mais" at the end.
    [GeneratedRegex(@"(…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading|weiterlesen|lire la suite|leer más|leia mais|阅读全文|更多)\W*$", RegexOptions.IgnoreCase)]
    private static partial Regex TeaserEnding();

    /// <summary>The article keeps the feed's text; worth a debug line each, and a summary per source at most hourly.</summary>
    private void ReadFailed(long sourceId, string articleUrl, string reason)
    {
        LogReadFailed(sourceId, articleUrl, reason);
        if (unreadable.Count(sourceId) is { } summary)
        {
            LogUnreadableSummary(sourceId, summary.Count, summary.Since, articleUrl, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read article {ArticleUrl} of source {SourceId}: {Reason}")]
    private partial void LogReadFailed(long sourceId, string articleUrl, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Article pages of source {SourceId} could not be read: {Count} since {Since:u}, latest {ArticleUrl}: {Reason}. The feed's text is used; one such line per source an hour, each page at debug")]
    private partial void LogUnreadableSummary(long sourceId, int count, DateTimeOffset since, string articleUrl, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Article extraction failed for {ArticleUrl} of source {SourceId}")]
    private partial void LogExtractorFailed(long sourceId, string articleUrl, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Read article {ArticleUrl} of source {SourceId}: {TextLength} characters, {RelatedCount} related links")]
    private partial void LogRead(long sourceId, string articleUrl, int textLength, int relatedCount);
}
