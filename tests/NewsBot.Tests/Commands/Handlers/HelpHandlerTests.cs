using Microsoft.Extensions.DependencyInjection;
using NewsBot.Commands;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands.Handlers;

public sealed class HelpHandlerTests
{
    [Fact]
    public async Task Help_Admin_EveryCommandsUsageAndTheAdminOnesApart()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var catalogue = bed.Services.GetRequiredService<CommandCatalogue>();

        var reply = await bed.RunAsync("help");

        var headings = reply.Blocks.OfType<ReplyHeading>().Select(h => h.Text).ToList();
        Assert.Equal(["NewsBot commands", "For admins"], headings);
        var lists = reply.Blocks.OfType<ReplyList>().ToList();
        Assert.Equal(catalogue.All.Where(c => !c.AdminOnly).Select(c => c.Usage), lists[0].Lines.Select(l => l.Text));
        Assert.Equal(catalogue.All.Where(c => c.AdminOnly).Select(c => c.Usage), lists[1].Lines.Select(l => l.Text));
        Assert.All(lists.SelectMany(l => l.Lines), line => Assert.False(string.IsNullOrWhiteSpace(line.Detail), line.Text));
        // Aliases run a command but are never listed.
        Assert.DoesNotContain("/start", ReplyText.Of(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Member_ListsOnlyWhatAMemberMayRun()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("help", admin: false, userId: "9");

        Assert.DoesNotContain("For admins", ReplyText.Of(reply), StringComparison.Ordinal);
        var listed = HandlerBeds.Lines(reply).Select(l => l.Text.Split(' ')[0][1..]).ToList();
        Assert.Equal(["help", "latest", "summary", "topics", "topic", "search", "related", "sources", "status", "subscriptions"], listed);
        foreach (var command in listed)
        {
            var answer = ReplyText.Of(await bed.RunAsync(command, admin: false, userId: "9"));
            Assert.DoesNotContain("is for admins", answer, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Help_ShortIdHint_ReadsThatArticle()
    {
        using var bed = await HandlerBeds.NewsAsync();
        var source = await bed.AddSourceAsync("wire");
        var article = (await bed.PublishAsync(source, "Bridge reopens after repairs"))[0];

        var help = await bed.RunAsync("help", admin: false, userId: "9");
        var answer = await HandlerBeds.FollowHintAsync(bed, help, "/summary <id>", "summary " + article.ShortId, admin: false);

        Assert.Equal("Bridge reopens after repairs", Assert.Single(answer.Blocks.OfType<ReplyArticleDetail>()).Article.Title);
    }
}
