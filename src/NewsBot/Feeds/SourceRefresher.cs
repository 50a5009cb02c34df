using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Feeds.Fetching;
using NewsBot.Feeds.Pages;
using NewsBot.Feeds.Parsing;
using NewsBot.Feeds.Processing;
using NewsBot.Feeds.Scheduling;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Feeds;

/// <summary>
/// One poll of one source, as one function: fetch, parse, process, enrich the new items, store them with their
/// deliveries in one transaction, then record the poll. Every failure is stored on the source row; none escapes.
/// </summary>
public sealed partial class SourceRefresher(
    FeedFetcher fetcher,
    FeedParser parser,
    IndexPageParser pageParser,
    FeedItemProcessor processor,
    IServiceScopeFactory scopes,
    IDeliveryPlanner deliveryPlanner,
    ISourceFailureNotifier failureNotifier,
    ISourceStore sources,
    IArticleStore articles,
    DeliverySignal deliverySignal,
    PollPlanner planner,
    HostGate hostGate,
    IHostEnvironment environment,
    IOptions<FeedsOptions> options,
    TimeProvider time,
    ILogger<SourceRefresher> logger)
{
    public async Task<RefreshResult> RefreshAsync(Source source, CancellationToken cancellationToken)
    {
        var location = ResolveLocation(source);
        FetchResult fetched;
        using (await hostGate.EnterAsync(HostGate.KeyOf(location), cancellationToken))
        {
            fetched = await fetcher.FetchAsync(new FetchRequest(location, source.ETag, source.LastModified, AllowFile: source.FromConfig), cancellationToken);
        }

        if (fetched.Status == FetchStatus.NotModified)
        {
            await MarkPolledAsync(source, fetched, feed: null, cancellationToken);
            return new RefreshResult(0, 0, 0, null);
        }

        if (fetched.Status == FetchStatus.Failed)
        {
            return await FailAsync(source, fetched.Error ?? "fetch.failed", fetched.RetryAfter, cancellationToken);
        }

        var baseUri = fetched.FinalUri ?? (Uri.TryCreate(location, UriKind.Absolute, out var parsedLocation) ? parsedLocation : null);
        var parsed = source.Kind == SourceKind.Page && baseUri is not null
            ? pageParser.Parse(fetched.Content, fetched.ContentType, baseUri, source.LinkPattern)
            : parser.Parse(fetched.Content, fetched.ContentType, baseUri);
        if (parsed.Feed is not { } feed)
        {
            return await FailAsync(source, parsed.Error ?? "feed.parse_failed", null, cancellationToken);
        }

        // One refresh is one unit of work: enrichers share a scope (and its caches) for this source's new items.
        await using var scope = scopes.CreateAsyncScope();
        var enrichers = scope.ServiceProvider.GetServices<IArticleEnricher>().ToList();
        var items = processor.Process(feed, baseUri);
        var existing = await articles.FindExistingAsync(source.Id, items.Select(i => i.Keys).ToList(), cancellationToken);
        var now = time.GetUtcNow();
        var newArticles = new List<(ArticleDraft, IReadOnlyList<string>)>();
        var edits = new List<ArticleEdit>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (existing[i] is { } articleId)
            {
                edits.Add(new ArticleEdit(articleId, item.Title, item.Teaser, item.Url, item.UpdatedAt, item.Keys));
                continue;
            }

            var draft = ToDraft(source, item, now);
            await EnrichAsync(enrichers, draft, cancellationToken);
            newArticles.Add((draft, item.Keys));
        }

        // Oldest first, so ids and posts follow the order in which the news happened (feeds list newest first).
        newArticles.Reverse();
        newArticles.Sort((a, b) => Nullable.Compare(a.Item1.PublishedAt, b.Item1.PublishedAt));
        var result = await articles.IngestAsync(
            new IngestBatch(source, newArticles, edits) { AnnounceLimit = source.LastPolledAt is null ? options.Value.BackfillCount : null },
            deliveryPlanner,
            cancellationToken);
        await MarkPolledAsync(source, fetched, feed, cancellationToken);
        if (result.DeliveriesPlanned > 0)
        {
            deliverySignal.Notify();
        }

        LogRefreshed(logger, source.Id, source.Url, result.Stored.Count, result.DeliveriesPlanned);
        return new RefreshResult(result.Stored.Count, result.Edited, result.DeliveriesPlanned, null);
    }

    /// <summary>Configured file sources are relative to the folder that holds appsettings.json.</summary>
    private string ResolveLocation(Source source)
    {
        if (Uri.TryCreate(source.Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return source.Url;
        }

        return source.FromConfig ? Path.GetFullPath(Path.Combine(environment.ContentRootPath, source.Url)) : source.Url;
    }

    private static ArticleDraft ToDraft(Source source, ProcessedItem item, DateTimeOffset now)
    {
        var draft = new ArticleDraft
        {
            Source = source,
            DedupKey = item.Keys[0],
            Url = item.Url,
            Title = item.Title,
            Author = item.Author,
            Teaser = item.Teaser,
            ContentHtml = item.ContentHtml,
            Text = HtmlText.ToPlainText(item.ContentHtml),
            Language = item.Language,
            ImageUrl = item.ImageUrl,
            PublishedAt = item.PublishedAt,
            UpdatedAt = item.UpdatedAt,
            FirstSeenAt = now,
        };
        draft.Categories.AddRange(item.Categories);
        draft.Topics.AddRange(item.Categories.Select(c => new TopicTag(c, TopicOrigin.Category)));
        return draft;
    }

    private async Task EnrichAsync(IReadOnlyList<IArticleEnricher> enrichers, ArticleDraft draft, CancellationToken cancellationToken)
    {
        foreach (var enricher in enrichers)
        {
            try
            {
                await enricher.EnrichAsync(draft, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Knowledge is a bonus: the article is still stored and posted with what it has.
                LogEnrichFailed(logger, enricher.GetType().Name, draft.Url, ex);
            }
        }
    }

    private async Task MarkPolledAsync(Source source, FetchResult fetched, ParsedFeed? feed, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await sources.MarkPolledAsync(source.Id, new SourcePollSuccess(
            now,
            planner.NextAfterSuccess(now, feed?.UpdateInterval, fetched.MaxAge),
            fetched.ETag,
            fetched.LastModified,
            feed?.Title,
            feed?.Link,
            fetched.PermanentRedirect), cancellationToken);
    }

    private async Task<RefreshResult> FailAsync(Source source, string error, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var failures = source.ConsecutiveFailures + 1;
        var now = time.GetUtcNow();
        var disable = planner.ShouldDisable(failures) ? $"{failures} failures in a row; last: {error}" : null;
        var disabledNow = await sources.MarkFailedAsync(source.Id, error, planner.NextAfterFailure(now, failures, retryAfter), disable, cancellationToken);
        LogRefreshFailed(logger, source.Id, source.Url, error, failures);
        if (disabledNow)
        {
            await failureNotifier.SourceDisabledAsync(source, disable!, cancellationToken);
        }

        return new RefreshResult(0, 0, 0, error);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Source {SourceId} ({SourceUrl}) refreshed: {NewArticles} new articles, {Deliveries} deliveries planned")]
    private static partial void LogRefreshed(ILogger logger, long sourceId, string sourceUrl, int newArticles, int deliveries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {SourceId} ({SourceUrl}) failed: {Error} ({Failures} in a row)")]
    private static partial void LogRefreshFailed(ILogger logger, long sourceId, string sourceUrl, string error, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Enricher {Enricher} failed for {ArticleUrl}; the article keeps what it has")]
    private static partial void LogEnrichFailed(ILogger logger, string enricher, string? articleUrl, Exception exception);
}

/// <summary>What one refresh did; <paramref name="Error"/> is set when it failed.</summary>
public sealed record RefreshResult(int NewArticles, int EditedArticles, int DeliveriesPlanned, string? Error);
