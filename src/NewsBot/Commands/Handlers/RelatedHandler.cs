using NewsBot.Knowledge;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class RelatedHandler(ArticleResolver resolver, IArticleStore articles, ISearchIndex index, PostFactory posts) : ICommandHandler
{
    private const int MaxRelated = 8;

    public string Name => "related";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var query = context.String("article")!;
        var article = await resolver.ResolveAsync(query, cancellationToken);
        if (article is null)
        {
            return CommandReply.Error($"No article matches \"{query}\". Use the short id shown in a post, a link, or other words.");
        }

        var lines = new List<ReplyLine>();
        foreach (var link in await articles.RelatedLinksAsync(article.Id, cancellationToken))
        {
            lines.Add(new ReplyLine(link.Title, link.Url));
        }

        // From the archive: the best matches for the title's most distinctive words, without itself and its own story.
        var known = new HashSet<string>(lines.Select(l => l.Url!), StringComparer.OrdinalIgnoreCase);
        TextQuery? keyTerms;
        using (var counts = index.OpenTermCounts())
        {
            keyTerms = RelatedQuery.KeyTerms(article.Title, article.Language, counts.Count);
        }

        var matches = keyTerms is null ? [] : await index.SearchAsync(keyTerms, MaxRelated + 2, cancellationToken);
        foreach (var match in matches)
        {
            if (match.Id != article.Id && match.StoryId != article.StoryId && match.Url is not null && known.Add(match.Url))
            {
                lines.Add(new ReplyLine(match.Title, match.Url, $"id {match.ShortId}"));
            }
        }

        if (lines.Count == 0)
        {
            return CommandReply.Text($"Nothing related to \"{article.Title}\" yet.");
        }

        var card = await posts.CreateAsync(article, null, cancellationToken);
        return new CommandReply([new ReplyArticles([card with { Format = PostFormat.Compact }]), new ReplyHeading("Related"), new ReplyList(lines.Take(MaxRelated).ToList())]);
    }
}
