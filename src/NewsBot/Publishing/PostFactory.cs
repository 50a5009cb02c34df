using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Publishing;

/// <summary>Builds the platform-neutral <see cref="Post"/> for an article as a subscription wants it.</summary>
public sealed class PostFactory(ArticleStore articles, SourceStore sources)
{
    public async Task<Post?> CreateAsync(long articleId, Subscription? subscription, CancellationToken cancellationToken)
    {
        var article = await articles.GetAsync(articleId, cancellationToken);
        return article is null ? null : await CreateAsync(article, subscription, cancellationToken);
    }

    public async Task<Post> CreateAsync(Article article, Subscription? subscription, CancellationToken cancellationToken)
    {
        var source = await sources.GetAsync(article.SourceId, cancellationToken);
        var relatedCount = subscription?.RelatedCount ?? 3;
        var related = relatedCount > 0 ? await articles.RelatedLinksAsync(article.Id, cancellationToken) : [];
        var peers = await articles.StoryPeersAsync(article, cancellationToken);
        var showSummary = subscription?.ShowSummary ?? true;
        return new Post
        {
            ShortId = article.ShortId,
            Title = article.Title,
            Url = article.Url,
            SourceName = source?.DisplayName ?? "unknown source",
            PublishedAt = article.PublishedAt ?? article.FirstSeenAt,
            Summary = showSummary ? article.Summary ?? article.Teaser : null,
            Topics = article.Topics,
            Related = related.Take(relatedCount).ToList(),
            AlsoCoveredBy = peers,
            ImageUrl = article.ImageUrl,
            Format = subscription?.Format ?? PostFormat.Full,
            LinkPreview = subscription?.LinkPreview ?? true,
            Silent = subscription?.Silent ?? false,
        };
    }
}
