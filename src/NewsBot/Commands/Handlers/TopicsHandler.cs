using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

/// <summary>Trending topics: those whose share of recent articles most exceeds their share before.</summary>
public sealed class TopicsHandler(TopicStore topics, TimeProvider time) : ICommandHandler
{
    private const int Shown = 10;

    public string Name => "topics";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var window = context.String("window") == "7d" ? TimeSpan.FromDays(7) : TimeSpan.FromHours(24);
        var now = time.GetUtcNow();
        var recent = await topics.CountAsync(now - window, now, cancellationToken);
        var baseline = await topics.CountAsync(now - (window * 8), now - window, cancellationToken);
        var ranked = TrendingTopics.Rank(recent, baseline, Shown);
        if (ranked.Count == 0)
        {
            return CommandReply.Text(recent.TotalArticles == 0 ? "No articles in that window yet." : "Nothing is trending yet: too few articles share a topic.");
        }

        var label = window.TotalDays >= 7 ? "7 days" : "24 hours";
        return new CommandReply([
            new ReplyHeading($"Trending, last {label}"),
            new ReplyList(ranked.Select(t => new ReplyLine(t.Name, Detail: $"{t.Count} article{(t.Count == 1 ? "" : "s")}")).ToList()),
            new ReplyParagraph("/topic <name> shows the articles."),
        ]);
    }
}

/// <summary>Ranks topics by how much their recent share exceeds their baseline share (add-one smoothing, at least two articles).</summary>
public static class TrendingTopics
{
    public static IReadOnlyList<TopicCount> Rank(TopicCounts recent, TopicCounts baseline, int limit)
    {
        var before = baseline.Topics.ToDictionary(t => t.Key, t => t.Count);
        var recentTotal = Math.Max(recent.TotalArticles, 1);
        var baselineTotal = Math.Max(baseline.TotalArticles, 1);
        return recent.Topics
            .Where(t => t.Count >= 2)
            .Select(t => (Topic: t, Lift: ((t.Count + 1.0) / (recentTotal + 2.0)) / ((before.GetValueOrDefault(t.Key) + 1.0) / (baselineTotal + 2.0))))
            .Where(x => x.Lift > 1.0)
            .OrderByDescending(x => x.Lift * Math.Log(1 + x.Topic.Count))
            .ThenBy(x => x.Topic.Name, StringComparer.OrdinalIgnoreCase)
            .Take(limit)
            .Select(x => x.Topic)
            .ToList();
    }
}
