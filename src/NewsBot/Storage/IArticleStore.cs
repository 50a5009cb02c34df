using NewsBot.Model;

namespace NewsBot.Storage;

/// <summary>Articles, their identity keys, topics and related links, and the deliveries planned when they arrive.</summary>
public interface IArticleStore
{
    /// <summary>For each item (given by its identity keys), the stored article it matches, if any.</summary>
    Task<IReadOnlyList<long?>> FindExistingAsync(long sourceId, IReadOnlyList<IReadOnlyList<string>> itemKeys, CancellationToken cancellationToken);

    /// <summary>
    /// Stores new articles, applies edits to known ones and persists the deliveries <paramref name="planner"/> chooses,
    /// all in one transaction: either everything from this poll is stored with its outbox rows, or nothing is.
    /// </summary>
    Task<IngestResult> IngestAsync(IngestBatch batch, IDeliveryPlanner planner, CancellationToken cancellationToken);

    /// <summary>
    /// Persists deliveries the planner chose for already stored articles (a backfill), oldest article first (the order
    /// they are posted in), in one transaction. A delivery the channel already has (same article or same story) or
    /// whose article's identity keys the channel was already given is skipped, as in <see cref="IngestAsync"/>.
    /// </summary>
    /// <returns>How many deliveries were planned.</returns>
    Task<int> PlanDeliveriesAsync(IReadOnlyList<PlannedDelivery> plans, CancellationToken cancellationToken);

    Task<Article?> GetAsync(long id, CancellationToken cancellationToken);

    Task<Article?> GetByUrlAsync(string url, CancellationToken cancellationToken);

    /// <summary>Articles by id (missing ids are left out), with their topics.</summary>
    Task<IReadOnlyList<Article>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>Newest first, optionally of one source or one topic.</summary>
    Task<List<Article>> LatestAsync(ArticleQuery query, CancellationToken cancellationToken);

    Task<IReadOnlyList<RelatedLink>> RelatedLinksAsync(long articleId, CancellationToken cancellationToken);

    /// <summary>Related links of many articles in one query, in rank order.</summary>
    Task<ILookup<long, RelatedLink>> RelatedLinksAsync(IReadOnlyCollection<long> articleIds, CancellationToken cancellationToken);

    /// <summary>The other articles of the same story, from other sources: "also covered by".</summary>
    Task<IReadOnlyList<RelatedLink>> StoryPeersAsync(Article article, CancellationToken cancellationToken);

    /// <summary><see cref="StoryPeersAsync(Article, CancellationToken)"/> for many articles in one query (at most 10 each).</summary>
    Task<ILookup<long, RelatedLink>> StoryPeersAsync(IReadOnlyCollection<long> articleIds, CancellationToken cancellationToken);

    /// <summary>Articles that arrived since a time and after a known id, newest first: story candidates, read incrementally.</summary>
    Task<IReadOnlyList<StoryPeer>> RecentForStoryAsync(long afterId, DateTimeOffset since, int limit, CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Decides which channel gets which article (Publishing implements it). For new articles the store asks it inside the
/// ingest transaction and persists what it chooses, so a planned post is stored with its article or not at all; a
/// backfill it plans itself and hands to <see cref="IArticleStore.PlanDeliveriesAsync"/>.
/// </summary>
public interface IDeliveryPlanner
{
    /// <param name="candidates">The active subscriptions aimed at the article's source, one of its topics, or everything.</param>
    /// <returns>The candidates that get the article, in the order their deliveries are planned.</returns>
    IEnumerable<Subscription> Recipients(Article article, IReadOnlyList<Subscription> candidates);

    /// <summary>
    /// Plans deliveries of already stored articles for one new subscription: the newest <paramref name="count"/>, taken in
    /// turn from each source so one busy source does not fill the channel.
    /// </summary>
    /// <returns>How many deliveries were planned.</returns>
    Task<int> BackfillAsync(Subscription subscription, int count, CancellationToken cancellationToken);

    /// <summary>
    /// Plans the backfill of sources read for the first time (one polling round's, together): each channel gets at most
    /// <paramref name="count"/> of them, the newest taken in turn from each source — one budget per channel.
    /// </summary>
    /// <returns>How many deliveries were planned.</returns>
    Task<int> BackfillFirstReadsAsync(IReadOnlyList<Article> firstRead, int count, CancellationToken cancellationToken);
}

/// <summary>One delivery a planner chose: this article to the channel of this subscription.</summary>
public sealed record PlannedDelivery(Subscription Subscription, Article Article);

/// <summary>What one poll of one source brings to the store.</summary>
public sealed record IngestBatch(Source Source, IReadOnlyList<(ArticleDraft Draft, IReadOnlyList<string> Keys)> NewArticles, IReadOnlyList<ArticleEdit> Edits)
{
    /// <summary>New articles stored without deliveries: a source's first read (backfilled separately), or old items surfacing.</summary>
    public IReadOnlySet<ArticleDraft> Quiet { get; init; } = new HashSet<ArticleDraft>();
}

/// <summary>A feed item we already have, as the feed now shows it: edits update the article without a new post.</summary>
public sealed record ArticleEdit(long ArticleId, string Title, string? Teaser, string? Url, DateTimeOffset? UpdatedAt, IReadOnlyList<string> Keys);

public sealed record IngestResult(IReadOnlyList<Article> Stored, int Edited, int DeliveriesPlanned);

/// <summary>A stored article as story detection sees it; <paramref name="StoryId"/> is what a repeat joins.</summary>
public sealed record StoryPeer(long Id, long SourceId, long StoryId, string Title, string? Lead, long? Fingerprint, DateTimeOffset FirstSeenAt);

public sealed record ArticleQuery(int Limit, long? SourceId = null, string? TopicKey = null, DateTimeOffset? Before = null);
