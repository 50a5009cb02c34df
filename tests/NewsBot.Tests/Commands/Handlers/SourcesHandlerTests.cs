using Microsoft.Extensions.DependencyInjection;
using NewsBot.Commands;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Commands.Handlers;

public sealed class SourcesHandlerTests
{
    [Fact]
    public async Task Sources_NoneYet_SaysSoAndTheAddHintWorks()
    {
        using var bed = await DeliveryTestBed.CreateAsync(new Dictionary<string, string?> { ["NewsBot:Feeds:AllowPrivateAddresses"] = "true" });
        await using var site = await CommandSite.StartAsync();

        var reply = await bed.RunAsync("sources", admin: false, userId: "9");

        Assert.False(reply.IsError);
        Assert.StartsWith("No sources yet.", ReplyText.Of(reply), StringComparison.Ordinal);
        await HandlerBeds.FollowHintAsync(bed, reply, "/source add <url>", "/source add " + site.Url("/feed.xml"));
        Assert.Contains("1. Riverside Gazette", ReplyText.Of(await bed.RunAsync("sources")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sources_Several_NumberedWithTheirLinkAndWhatIsWrong()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var store = bed.Services.GetRequiredService<ISourceStore>();
        await bed.AddSourceAsync("news");
        var paused = await bed.AddSourceAsync("wire");
        var failing = await bed.AddSourceAsync("gazette");
        await store.SetPausedAsync(paused.Id, true, TestContext.Current.CancellationToken);
        await store.MarkFailedAsync(failing.Id, "feed.timeout", bed.Clock.GetUtcNow().AddMinutes(5), null, TestContext.Current.CancellationToken);
        await bed.RunAsync("source add " + Path.Combine(RepositoryPaths.Samples, "feed.xml"), platform: Platform.Console);

        var reply = await bed.RunAsync("sources", admin: false, userId: "9");

        Assert.Equal("Sources (4)", Assert.Single(reply.Blocks.OfType<ReplyHeading>()).Text);
        Assert.Equal(
            [
                ("1. news", "https://news.example/feed", null),
                ("2. wire", "https://wire.example/feed", "paused"),
                ("3. gazette", "https://gazette.example/feed", "failing: feed.timeout"),
                ("4. Riverside Gazette (NewsBot sample)", null, null),
            ],
            HandlerBeds.Lines(reply).Select(l => (l.Text, l.Url, l.Detail)));
    }
}
