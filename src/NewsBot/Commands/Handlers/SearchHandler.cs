using NewsBot.Publishing;

namespace NewsBot.Commands.Handlers;

public sealed class SearchHandler(ArticleSearch search, PostLoader posts) : ICommandHandler
{
    public string Name => "search";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var query = context.String("query")!;
        var found = await search.SearchAsync(query, context.Integer("count") ?? 5, cancellationToken);
        if (found.Count == 0)
        {
            return CommandReply.Text(context.Texts.Format("Search.Nothing", query));
        }

        var cards = await posts.CreateAllAsync(found, cancellationToken);
        return new CommandReply([new ReplyHeading(context.Texts.Format("Search.Heading", query)), new ReplyArticles(cards)]);
    }
}
