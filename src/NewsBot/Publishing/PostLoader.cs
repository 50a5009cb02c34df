using NewsBot.Knowledge;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Publishing;

/// <summary>
/// Loads what an article's <see cref="Post"/> needs and builds the platform-neutral post as a subscription wants it.
/// Loads for a whole batch at once (articles, sources, related links, story peers: one query each), so the dispatcher's
/// store work per delivery is only its state commit. Related links are the page's own first, then the archive's most
/// similar articles (<see cref="RelatedArticleFinder"/>, computed once per article and kept for an hour).
/// </summary>
public sealed class PostLoader(IArticleStore articles, ISourceStore sources, RelatedArticleFinder relatedArticles)
{
    /// <summary>A card shows at most this many topics, the best first (the store orders them by weight).</summary>
    public const int MaxTopics = 5;

    /// <summary>The most related links a subscription may ask for (its setting is 0–5, 3 by default).</summary>
    public const int MaxRelatedLinks = 5;

    public async Task<Post> CreateAsync(Article article, Subscription? subscription, CancellationToken cancellationToken) =>
        (await LoadAsync([article], cancellationToken)).Create(article, subscription);

    /// <summary>Cards for a list of articles (command replies), in the list's order.</summary>
    public async Task<List<Post>> CreateAllAsync(IReadOnlyList<Article> list, CancellationToken cancellationToken)
    {
        var batch = await LoadAsync(list, cancellationToken);
        // A list shows one line an article: its related links are never shown, so never computed.
        return list.Select(article => batch.Create(article, null, withRelated: false)).ToList();
    }

    public async Task<PostBatch> LoadAsync(IReadOnlyCollection<long> articleIds, CancellationToken cancellationToken) =>
        await LoadAsync(await articles.GetManyAsync(articleIds.Distinct().ToList(), cancellationToken), cancellationToken);

    public async Task<PostBatch> LoadAsync(IReadOnlyCollection<Article> list, CancellationToken cancellationToken)
    {
        var ids = list.Select(a => a.Id).Distinct().ToList();
        // Only the batch's own sources: with thousands of sources, reading them all for every batch was most of the
        // dispatcher's allocation.
        var sourceNames = await sources.GetDisplayNamesAsync(list.Select(a => a.SourceId).Distinct().ToList(), cancellationToken);
        var pageLinks = await articles.RelatedLinksAsync(ids, cancellationToken);
        var peers = await articles.StoryPeersAsync(ids, cancellationToken);
        return new PostBatch(list.DistinctBy(a => a.Id).ToDictionary(a => a.Id), sourceNames, pageLinks, peers, RelatedLinks);
    }

    /// <summary>The page's own related links, then the archive's most similar articles: at most <see cref="MaxRelatedLinks"/>.</summary>
    private IReadOnlyList<RelatedLink> RelatedLinks(Article article, IEnumerable<RelatedLink> pageLinks) =>
        RelatedArticleFinder.Combine(article, pageLinks, relatedArticles.Find(article, MaxRelatedLinks), MaxRelatedLinks).Select(link => link.Link).ToList();
}

/// <summary>Everything needed to build posts for a set of articles, loaded in a few queries.</summary>
public sealed class PostBatch(
    IReadOnlyDictionary<long, Article> articles,
    IReadOnlyDictionary<long, string> sourceNames,
    ILookup<long, RelatedLink> pageLinks,
    ILookup<long, RelatedLink> peers,
    Func<Article, IEnumerable<RelatedLink>, IReadOnlyList<RelatedLink>> relatedLinks)
{
    /// <summary>Null when the article is gone (its source was removed while the delivery waited).</summary>
    public Post? Create(long articleId, Subscription? subscription, bool withRelated = true) =>
        articles.TryGetValue(articleId, out var article) ? Create(article, subscription, withRelated) : null;

    /// <param name="withRelated">False for a one-line card (lists, digests): the archive's related articles are not looked up.</param>
    public Post Create(Article article, Subscription? subscription, bool withRelated = true)
    {
        var relatedCount = subscription?.RelatedCount ?? 3;
        var showSummary = subscription?.ShowSummary ?? true;
        return new Post
        {
            ShortId = article.ShortId,
            Title = article.Title,
            Url = article.Url,
            SourceName = sourceNames.GetValueOrDefault(article.SourceId) ?? "unknown source",
            PublishedAt = article.PublishedAt ?? article.FirstSeenAt,
            Summary = showSummary ? article.Summary ?? article.Teaser : null,
            Topics = article.Topics.Take(PostLoader.MaxTopics).ToList(),
            Related = withRelated && relatedCount > 0 ? relatedLinks(article, pageLinks[article.Id]).Take(relatedCount).ToList() : [],
            AlsoCoveredBy = peers[article.Id].ToList(),
            ImageUrl = article.ImageUrl,
            Format = subscription?.Format ?? PostFormat.Full,
            LinkPreview = subscription?.LinkPreview ?? true,
            Silent = subscription?.Silent ?? false,
            Author = article.Author,
            Template = subscription?.Template,
            MentionRoleIds = subscription?.MentionRoleIds ?? [],
            Language = article.Language,
            SummaryLanguage = subscription?.SummaryLanguage,
            SubscriptionId = subscription?.Id,
        };
    }
}
