using NewsBot.Publishing;

namespace NewsBot.Commands.Handlers;

public sealed class SearchHandler(ArticleSearch search, PostFactory posts) : ICommandHandler
{
    public string Name => "search";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var query = context.String("query")!;
        var found = await search.SearchAsync(query, context.Integer("count") ?? 5, cancellationToken);
        if (found.Count == 0)
        {
            return CommandReply.Text($"Nothing found for \"{query}\".");
        }

        var cards = await posts.CreateAllAsync(found, cancellationToken);
        return new CommandReply([new ReplyHeading($"Search: {query}"), new ReplyArticles(cards)]);
    }
}
