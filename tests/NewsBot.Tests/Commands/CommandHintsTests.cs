using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Commands;
using NewsBot.Platforms.Console;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands;

/// <summary>Every "/command …" the bot prints in a reply works when typed as shown (placeholders filled in).</summary>
public sealed partial class CommandHintsTests
{
    /// <summary>What a reply may say after a command's answer to be read as "this did not parse".</summary>
    private static readonly string[] ParseFailures = ["Usage:", "There is no command", "Missing ", "I did not expect", " must be "];

    [Fact]
    public async Task EveryHintInAReply_WorksWhenTyped()
    {
        using var bed = await DeliveryTestBed.CreateAsync(new Dictionary<string, string?> { ["NewsBot:Feeds:AllowPrivateAddresses"] = "true" });
        await using var site = await CommandSite.StartAsync();
        var catalogue = bed.Services.GetRequiredService<CommandCatalogue>();
        var replies = new List<string>();
        async Task Say(string line, bool admin = true) => replies.Add(ConsoleRenderer.RenderReply(await bed.RunAsync(line, admin: admin, userId: admin ? "7" : "9")));

        // A first hour: empty lists, adding sources, mistakes, settings.
        foreach (var line in new[]
        {
            "sources", "subscriptions", "status", "topics", "topic nowhere", "latest source:nowhere", "subscribe nowhere",
            "unsubscribe all", "source pause nowhere", "nosuch", "help", "source add " + site.Url("/feed.xml"), "source add " + site.Url("/page"),
            "import " + site.Url("/feeds.opml"), "source pause 1", "sources", "settings", "export",
        })
        {
            await Say(line);
        }

        await Say("help", admin: false);
        replies.Add(ConsoleRenderer.RenderReply(CommandReply.Error(ConsoleCommandService.ParseLine("hello there", catalogue).Hint!)));
        var sourceIds = (await bed.Services.GetRequiredService<ISourceStore>().ListAsync(TestContext.Current.CancellationToken)).Select(s => s.Id).ToList();

        var hints = replies.SelectMany(r => Hint().Matches(r)).Select(m => m.Value.Trim()).Distinct().ToList();

        Assert.True(hints.Count >= 20, string.Join('\n', hints));
        Assert.Contains($"/subscribe {sourceIds[0]}", hints);
        Assert.Contains($"/source resume {sourceIds[0]}", hints);
        foreach (var hint in hints)
        {
            var typed = Fill(hint, site.Url("/feed.xml"), site.Url("/feeds.opml"));
            var reply = ConsoleRenderer.RenderReply(await bed.RunAsync(typed[1..]));
            Assert.False(ParseFailures.Any(f => reply.Contains(f, StringComparison.Ordinal)), $"hint \"{hint}\" typed as \"{typed}\" answered: {reply}");
            if (!hint.Contains('<', StringComparison.Ordinal) && !hint.Contains('[', StringComparison.Ordinal))
            {
                Assert.False(reply.StartsWith('!'), $"hint \"{hint}\" answered: {reply}");
            }
        }
    }

    /// <summary>Optional parts dropped, placeholders given a value that exists.</summary>
    private static string Fill(string hint, string feedUrl, string opmlUrl)
    {
        var words = hint.Split(' ').Where(w => !w.StartsWith('[')).ToList();
        return string.Join(' ', words.Select(w => w switch
        {
            "<url>" => words[0] == "/import" ? opmlUrl : feedUrl,
            "<source|topic:name|all>" or "<target>" => words[0] == "/source" ? "1" : "all",
            "<action>" => "resume",
            "<id>" or "<source>" => "1",
            "<name>" => "climate",
            "<article>" => "rain",
            "<query>" => "rain",
            _ => w,
        }));
    }

    // "/command args": after a space or a quote, up to punctuation, an em dash or a joining word; never a path.
    [GeneratedRegex("""(?<=^|[\s"“])/[a-z_]+(?=[\s.,;)]|$)(?: (?!(?:or|and|to|—)(?:\s|$))[^\s.,;)]+)*""", RegexOptions.Multiline)]
    private static partial Regex Hint();
}
