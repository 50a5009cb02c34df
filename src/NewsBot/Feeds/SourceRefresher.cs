using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Feeds.Fetching;
using NewsBot.Feeds.Pages;
using NewsBot.Feeds.Parsing;
using NewsBot.Feeds.Processing;
using NewsBot.Feeds.Scheduling;
using NewsBot.Enrichment;
using NewsBot.Model;
using NewsBot.Runtime;
using NewsBot.Storage;
using NewsBot.Text;

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
    /// <summary>Refreshes one source; on its first read, its backfill is planned at once.</summary>
    public Task<RefreshResult> RefreshAsync(Source source, CancellationToken cancellationToken) => RefreshAsync(source, round: null, cancellationToken);

    /// <summary>
    /// Refreshes one source. The items of a first read are old news to the channels: they are stored without
    /// deliveries, and the newest few are backfilled — with the <paramref name="round"/>'s other first reads when one
    /// is given (<see cref="PlanBackfillAsync"/> then plans them together), else at once.
    /// </summary>
    public async Task<RefreshResult> RefreshAsync(Source source, BackfillRound? round, CancellationToken cancellationToken)
    {
        var location = ResolveLocation(source);
        FetchResult fetched;
        using (await hostGate.EnterLocationAsync(location, cancellationToken))
        {
            // A source on a local file comes from configuration or from an operator's /source add (never from chat admins or imports).
            fetched = await fetcher.FetchAsync(new FetchRequest(location, source.ETag, source.LastModified, AllowFile: true), cancellationToken);
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
        var enrichers = InSequence(scope.ServiceProvider.GetServices<IArticleEnricher>());
        var items = processor.Process(feed, baseUri);
        var existing = await articles.FindExistingAsync(source.Id, items.Select(i => i.Keys).ToList(), cancellationToken);
        var now = time.GetUtcNow();
        var firstRead = source.LastPolledAt is null;
        // An undated item that was already in the feed when it was first read is as old as the feed says it is; one
        // that appears later was first seen then (the store's default).
        var undatedAt = firstRead && feed.Updated is { } feedDate && feedDate <= now ? feedDate : (DateTimeOffset?)null;
        // A new item dated before every item the feed already showed is old news surfacing (a longer feed, a feed
        // swapped behind the URL): stored, never announced.
        var oldestKnown = items.Where((item, i) => existing[i] is not null).Select(item => item.PublishedAt).OfType<DateTimeOffset>().DefaultIfEmpty(DateTimeOffset.MinValue).Min();
        var newArticles = new List<(ArticleDraft, IReadOnlyList<string>)>();
        var quiet = new HashSet<ArticleDraft>();
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
            // The article page's own date (set by reading it) comes before the feed's.
            draft.PublishedAt ??= undatedAt;
            newArticles.Add((draft, item.Keys));
            if (firstRead || draft.PublishedAt < oldestKnown)
            {
                quiet.Add(draft);
            }
        }

        // Oldest first, so ids and posts follow the order in which the news happened (feeds list newest first; the
        // sort is stable, so items of one date keep the feed's order).
        var ordered = Enumerable.Reverse(newArticles).OrderBy(a => a.Item1.PublishedAt).ToList();
        var result = await articles.IngestAsync(new IngestBatch(source, ordered, edits) { Quiet = quiet }, deliveryPlanner, cancellationToken);
        await MarkPolledAsync(source, fetched, feed, cancellationToken);
        var planned = result.DeliveriesPlanned;
        if (firstRead && round is not null)
        {
            round.Add(result.Stored);
        }
        else if (firstRead)
        {
            planned += await deliveryPlanner.BackfillFirstReadsAsync(result.Stored, options.Value.BackfillCount, cancellationToken);
        }

        if (planned > 0)
        {
            deliverySignal.Notify();
        }

        LogRefreshed(logger, source.Id, source.Url, result.Stored.Count, planned);
        return new RefreshResult(result.Stored.Count, result.Edited, planned, null);
    }

    /// <summary>Plans the backfill of a polling round's first reads together: each subscription gets its few newest, fairly across the sources.</summary>
    public async Task<int> PlanBackfillAsync(BackfillRound round, CancellationToken cancellationToken)
    {
        var planned = await deliveryPlanner.BackfillFirstReadsAsync(round.Articles, options.Value.BackfillCount, cancellationToken);
        if (planned > 0)
        {
            deliverySignal.Notify();
        }

        return planned;
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

    /// <summary>
    /// The enrichment sequence: read the page → summarise → tag topics → join a story (<see cref="EnrichmentStep"/>),
    /// each step present when its area is on; the order is the steps', not the order the areas were registered in.
    /// </summary>
    internal static IReadOnlyList<IArticleEnricher> InSequence(IEnumerable<IArticleEnricher> enrichers) => enrichers.OrderBy(e => e.Step).ToList();

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

/// <summary>The articles of the sources read for the first time in one polling round, collected for one fair backfill.</summary>
public sealed class BackfillRound
{
    private readonly List<Article> _articles = [];

    public IReadOnlyList<Article> Articles
    {
        get
        {
            lock (_articles)
            {
                return _articles.ToList();
            }
        }
    }

    public void Add(IEnumerable<Article> articles)
    {
        lock (_articles)
        {
            _articles.AddRange(articles);
        }
    }
}

/// <summary>What one refresh did; <paramref name="Error"/> is set when it failed.</summary>
public sealed record RefreshResult(int NewArticles, int EditedArticles, int DeliveriesPlanned, string? Error);
