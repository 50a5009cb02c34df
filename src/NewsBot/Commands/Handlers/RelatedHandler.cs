using NewsBot.Knowledge;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

/// <summary>
/// The page's own related links, then the archive's most similar articles (<see cref="RelatedArticleFinder"/>), at most
/// five, strongest first; archive links carry a strength marker and their short id.
/// </summary>
public sealed class RelatedHandler(ArticleResolver resolver, IArticleStore articles, RelatedArticleFinder relatedArticles, PostLoader posts) : ICommandHandler
{
    private const int MaxRelated = RelatedArticleFinder.MaxResults;

    public string Name => "related";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var query = context.String("article")!;
        var article = await resolver.ResolveAsync(query, cancellationToken);
        if (article is null)
        {
            return CommandReply.Error(context.Texts.Format("Article.NoMatch", query));
        }

        var pageLinks = await articles.RelatedLinksAsync(article.Id, cancellationToken);
        var links = RelatedArticleFinder.Combine(article, pageLinks, relatedArticles.Find(article, MaxRelated), MaxRelated);
        if (links.Count == 0)
        {
            return CommandReply.Text(context.Texts.Format("Related.Nothing", article.Title));
        }

        var lines = links
            .Select(l => new ReplyLine(l.Link.Title, l.Link.Url, l.Similarity is { } similarity
                ? context.Texts.Format("Related.Archive", Strength(similarity), ShortIds.Format(l.Link.ArticleId!.Value))
                : context.Texts["Related.FromPage"]))
            .ToList();
        var card = await posts.CreateAsync(article, null, cancellationToken);
        return new CommandReply([new ReplyArticles([card with { Format = PostFormat.Compact }]), new ReplyHeading(context.Texts["Post.Related"]), new ReplyList(lines)]);
    }

    /// <summary>A simple strength marker: three dots for a close match, one for a loose one.</summary>
    internal static string Strength(double similarity) => similarity switch
    {
        >= 0.35 => "●●●",
        >= 0.2 => "●●○",
        _ => "●○○",
    };
}
