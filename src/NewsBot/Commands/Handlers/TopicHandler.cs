using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class TopicHandler(IArticleStore articles, ITopicNormalizer topics, PostLoader posts) : ICommandHandler
{
    public string Name => "topic";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var name = context.String("name")!;
        var found = await articles.LatestAsync(new ArticleQuery(context.Integer("count") ?? 5, TopicKey: name), cancellationToken);
        if (found.Count == 0)
        {
            return CommandReply.Text(context.Texts.Format("Topic.Empty", name));
        }

        var cards = await posts.CreateAllAsync(found, cancellationToken);
        return new CommandReply([new ReplyHeading(context.Texts.Format("Topic.Heading", topics.Normalize(name).Display)), new ReplyArticles(cards)]);
    }
}
