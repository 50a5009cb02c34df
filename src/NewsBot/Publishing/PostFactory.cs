using NewsBot.Knowledge;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Publishing;

/// <summary>
/// Builds the platform-neutral <see cref="Post"/> for an article as a subscription wants it. Loads what posts need
/// for a whole batch at once (articles, sources, related links, story peers: one query each), so the dispatcher's
/// store work per delivery is only its state commit. Related links are the page's own first, then the archive's most
/// similar articles (<see cref="RelatedArticleFinder"/>, computed once per article and kept for an hour).
/// </summary>
public sealed class PostFactory(IArticleStore articles, ISourceStore sources, RelatedArticleFinder relatedArticles)
{
    /// <summary>A card shows at most this many topics, the best first (the store orders them by weight).</summary>
    public const int MaxTopics = 5;

    /// <summary>The most related links a subscription may ask for (its setting is 0–5, 3 by default).</summary>
    public const int MaxRelatedLinks = 5;

    public async Task<Post?> CreateAsync(long articleId, Subscription? subscription, CancellationToken cancellationToken) =>
        (await LoadAsync([articleId], cancellationToken)).Create(articleId, subscription);

    public async Task<Post> CreateAsync(Article article, Subscription? subscription, CancellationToken cancellationToken) =>
        (await LoadAsync([article], cancellationToken)).Create(article, subscription);

    /// <summary>Cards for a list of articles (command replies), in the list's order.</summary>
    public async Task<List<Post>> CreateAllAsync(IReadOnlyList<Article> list, CancellationToken cancellationToken)
    {
        var batch = await LoadAsync(list, cancellationToken);
        return list.Select(article => batch.Create(article, null)).ToList();
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
        var related = list.DistinctBy(a => a.Id)
            .SelectMany(article => RelatedArticleFinder.Combine(article, pageLinks[article.Id], relatedArticles.Find(article, MaxRelatedLinks), MaxRelatedLinks)
                .Select(link => (article.Id, link.Link)))
            .ToLookup(pair => pair.Id, pair => pair.Link);
        return new PostBatch(list.DistinctBy(a => a.Id).ToDictionary(a => a.Id), sourceNames, related, peers);
    }
}

/// <summary>Everything needed to build posts for a set of articles, loaded in a few queries.</summary>
public sealed class PostBatch(
    IReadOnlyDictionary<long, Article> articles,
    IReadOnlyDictionary<long, string> sourceNames,
    ILookup<long, RelatedLink> related,
    ILookup<long, RelatedLink> peers)
{
    /// <summary>Null when the article is gone (its source was removed while the delivery waited).</summary>
    public Post? Create(long articleId, Subscription? subscription) =>
        articles.TryGetValue(articleId, out var article) ? Create(article, subscription) : null;

    public Post Create(Article article, Subscription? subscription)
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
            Topics = article.Topics.Take(PostFactory.MaxTopics).ToList(),
            Related = related[article.Id].Take(relatedCount).ToList(),
            AlsoCoveredBy = peers[article.Id].ToList(),
            ImageUrl = article.ImageUrl,
            Format = subscription?.Format ?? PostFormat.Full,
            LinkPreview = subscription?.LinkPreview ?? true,
            Silent = subscription?.Silent ?? false,
            Author = article.Author,
            Template = subscription?.Template,
            MentionRoleIds = subscription?.MentionRoleIds ?? [],
            SubscriptionId = subscription?.Id,
        };
    }
}
