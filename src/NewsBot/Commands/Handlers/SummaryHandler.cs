using NewsBot.Publishing;

namespace NewsBot.Commands.Handlers;

public sealed class SummaryHandler(ArticleResolver resolver, PostLoader posts) : ICommandHandler
{
    public string Name => "summary";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var query = context.String("article")!;
        var article = await resolver.ResolveAsync(query, cancellationToken);
        if (article is null)
        {
            return CommandReply.Error(context.Texts.Format("Article.NoMatch", query));
        }

        var post = await posts.CreateAsync(article, null, cancellationToken);
        return new CommandReply([new ReplyArticleDetail(post with { Related = post.Related.Take(5).ToList() })]);
    }
}
