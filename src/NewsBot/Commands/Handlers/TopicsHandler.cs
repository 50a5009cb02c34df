using NewsBot.Knowledge;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

/// <summary>Trending topics: those whose share of recent articles most exceeds their share before.</summary>
public sealed class TopicsHandler(ITopicStore topics, TimeProvider time) : ICommandHandler
{
    private const int Shown = 10;
    // Community bots see few articles a day: two in the window can already be a trend.
    private static readonly TrendingRanker Ranker = new() { MinRecentCount = 2 };

    public string Name => "topics";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var window = context.String("window") == "7d" ? TimeSpan.FromDays(7) : TimeSpan.FromHours(24);
        var now = time.GetUtcNow();
        var recent = await topics.CountAsync(now - window, now, cancellationToken);
        var baseline = await topics.CountAsync(now - (window * 8), now - window, cancellationToken);
        var before = baseline.Topics.ToDictionary(t => t.Key, t => t.Count);
        var names = recent.Topics.ToDictionary(t => t.Key, t => t.Name);
        var ranked = Ranker.Rank(recent.Topics.Select(t => new TopicWindowCount(t.Key, t.Count, before.GetValueOrDefault(t.Key))).ToList(), recent.TotalArticles, baseline.TotalArticles, Shown);
        if (ranked.Count == 0)
        {
            return CommandReply.Text(context.Texts[recent.TotalArticles == 0 ? "Topics.EmptyWindow" : "Topics.NothingTrending"]);
        }

        return new CommandReply([
            new ReplyHeading(context.Texts[window.TotalDays >= 7 ? "Topics.Heading7d" : "Topics.Heading24h"]),
            new ReplyList(ranked.Select(t => new ReplyLine(names[t.Key], Detail: context.Texts.Format("Topics.Count", t.Recent))).ToList()),
            new ReplyParagraph(context.Texts["Topics.Hint"]),
        ]);
    }
}
