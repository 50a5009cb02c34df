using NewsBot.Publishing;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class LatestHandler(IArticleStore articles, SourceLookup sources, PostLoader posts) : ICommandHandler
{
    public string Name => "latest";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        long? sourceId = null;
        if (context.String("source") is { } sourceText)
        {
            var source = await sources.FindAsync(sourceText, cancellationToken);
            if (source is null)
            {
                return CommandReply.Error(context.Texts.Format("Lookup.NoSource", sourceText));
            }

            sourceId = source.Id;
        }

        var count = context.Integer("count") ?? 5;
        var topic = context.String("topic");
        var found = await articles.LatestAsync(new ArticleQuery(count, sourceId, topic), cancellationToken);
        if (found.Count == 0)
        {
            return CommandReply.Text(topic is null ? context.Texts["Latest.Empty"] : context.Texts.Format("Topic.Empty", topic));
        }

        var cards = await posts.CreateAllAsync(found, cancellationToken);
        return new CommandReply([new ReplyHeading(topic is null ? context.Texts["Latest.Heading"] : context.Texts.Format("Latest.HeadingTopic", topic)), new ReplyArticles(cards)]);
    }
}
