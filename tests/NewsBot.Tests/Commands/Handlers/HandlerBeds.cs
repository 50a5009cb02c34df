using NewsBot.Commands;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands.Handlers;

/// <summary>What the handler tests share: a seeded chat, and typing a hint a reply printed.</summary>
internal static class HandlerBeds
{
    /// <summary>One source "news" (id 1) with three articles, two on the topic climate and two about the same flood.</summary>
    public static async Task<DeliveryTestBed> NewsAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var bed = await DeliveryTestBed.CreateAsync(settings);
        var source = await bed.AddSourceAsync("news");
        await bed.PublishAsync(source,
            ("Councils plan for hotter summers", "Cities prepare shade and water.", ["climate"]),
            ("Rain floods the underpass", "Heavy rain closed the underpass for hours.", ["climate"]),
            ("Rain floods the underpass again; council orders a review", null, []));
        bed.Clock.Advance(TimeSpan.FromMinutes(1));
        return bed;
    }

    /// <summary>
    /// Checks <paramref name="reply"/> prints <paramref name="hint"/>, then types it as a user would (<paramref name="typed"/>
    /// when the hint has a placeholder) and returns the answer, which must not be a refusal or a parse error.
    /// </summary>
    public static async Task<CommandReply> FollowHintAsync(DeliveryTestBed bed, CommandReply reply, string hint, string? typed = null, bool admin = true)
    {
        Assert.Contains(hint, ReplyText.Of(reply), StringComparison.Ordinal);
        var line = typed ?? hint;
        var answer = await bed.RunAsync(line.TrimStart('/'), admin: admin, userId: admin ? "7" : "9");
        Assert.False(answer.IsError, $"hint \"{hint}\" typed as \"{line}\" answered: {ReplyText.Of(answer)}");
        return answer;
    }

    /// <summary>The titles of the article cards in a reply, in order.</summary>
    public static IReadOnlyList<string> Cards(CommandReply reply) =>
        reply.Blocks.OfType<ReplyArticles>().SelectMany(b => b.Articles).Select(p => p.Title).ToList();

    /// <summary>The lines of the reply's lists.</summary>
    public static IReadOnlyList<ReplyLine> Lines(CommandReply reply) => reply.Blocks.OfType<ReplyList>().SelectMany(l => l.Lines).ToList();
}
