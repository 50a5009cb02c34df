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
            return CommandReply.Text(recent.TotalArticles == 0 ? "No articles in that window yet." : "Nothing is trending yet: too few articles share a topic.");
        }

        var label = window.TotalDays >= 7 ? "7 days" : "24 hours";
        return new CommandReply([
            new ReplyHeading($"Trending, last {label}"),
            new ReplyList(ranked.Select(t => new ReplyLine(names[t.Key], Detail: $"{t.Recent} article{(t.Recent == 1 ? "" : "s")}")).ToList()),
            new ReplyParagraph("See a topic's articles with /topic <name>."),
        ]);
    }
}
