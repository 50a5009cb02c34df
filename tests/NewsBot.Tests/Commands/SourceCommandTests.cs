using Microsoft.Extensions.DependencyInjection;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Tests.Commands.Handlers;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Commands;

public sealed class SourceCommandTests
{
    private static readonly Dictionary<string, string?> AllowLoopback = new() { ["NewsBot:Feeds:AllowPrivateAddresses"] = "true" };

    [Fact]
    public async Task SourceAdd_FilePathFromTheConsole_IsAdded()
    {
        using var bed = await DeliveryTestBed.CreateAsync();

        var reply = await bed.RunAsync("source add " + Path.Combine(RepositoryPaths.Samples, "feed.xml"), platform: Platform.Console);

        Assert.False(reply.IsError, ReplyText.Of(reply));
        Assert.Contains("Added source 1: \"Riverside Gazette (NewsBot sample)\"", ReplyText.Of(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourceAdd_FilePathFromAConfiguredOwner_IsAdded()
    {
        using var bed = await DeliveryTestBed.CreateAsync(new Dictionary<string, string?> { ["NewsBot:Owners:0"] = "telegram:42" });

        var reply = await bed.RunAsync("source add " + Path.Combine(RepositoryPaths.Samples, "feed.xml"), platform: Platform.Telegram, admin: false, userId: "42");

        Assert.False(reply.IsError, ReplyText.Of(reply));
    }

    [Fact]
    public async Task SourceAdd_FilePathFromAChatAdmin_IsRefusedSayingWhoMay()
    {
        using var bed = await DeliveryTestBed.CreateAsync();

        var reply = await bed.RunAsync("source add " + Path.Combine(RepositoryPaths.Samples, "feed.xml"));

        Assert.True(reply.IsError);
        Assert.Contains("only NewsBot's operators (the console, or the accounts in NewsBot:Owners)", ReplyText.Of(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourceAdd_LoopbackUrl_NamesTheSettingThatAllowsIt()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        await using var site = await CommandSite.StartAsync();

        var reply = await bed.RunAsync("source add " + site.Url("/feed.xml"));

        Assert.True(reply.IsError);
        Assert.Contains("127.0.0.1 is a loopback or private address, which NewsBot fetches only when NewsBot:Feeds:AllowPrivateAddresses is true", ReplyText.Of(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourceAdd_PageWithDeadAdvertisedFeed_FallsBackToThePageAndSaysSo()
    {
        using var bed = await DeliveryTestBed.CreateAsync(AllowLoopback);
        await using var site = await CommandSite.StartAsync();

        var reply = await bed.RunAsync("source add " + site.Url("/page"));
        var text = ReplyText.Of(reply);

        Assert.False(reply.IsError, text);
        Assert.Contains($"The page advertises a feed at {site.Url("/dead.xml")}, but the server answered HTTP 404", text, StringComparison.Ordinal);
        Assert.Contains("reads the page itself instead", text, StringComparison.Ordinal);
        Assert.Contains("Council approves protected bike lanes", text, StringComparison.Ordinal);
        var source = Assert.Single(await bed.Services.GetRequiredService<ISourceStore>().ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(SourceKind.Page, source.Kind);
    }

    [Fact]
    public async Task SourcePause_StopsPolling_AndTheResumeHintWorks()
    {
        using var bed = await HandlerBeds.NewsAsync();
        var store = bed.Services.GetRequiredService<ISourceStore>();

        var paused = await bed.RunAsync("source pause news");

        Assert.True(paused.Private);
        Assert.True((await store.GetAsync(1, TestContext.Current.CancellationToken))!.Paused);
        var resumed = await HandlerBeds.FollowHintAsync(bed, paused, "/source resume 1");
        Assert.Equal("Resumed \"news\"; polling it now.", ReplyText.Of(resumed));
        Assert.False((await store.GetAsync(1, TestContext.Current.CancellationToken))!.Paused);
    }

    [Fact]
    public async Task SourceRemove_SaysWhatWasDeleted_ThenTheSourceIsGone()
    {
        using var bed = await HandlerBeds.NewsAsync();
        await bed.RunAsync("subscribe news");

        var reply = await bed.RunAsync("source remove 1");

        Assert.False(reply.IsError, ReplyText.Of(reply));
        Assert.StartsWith("Removed \"news\": it is no longer watched. Deleted: stored articles 3, subscriptions 1.", ReplyText.Of(reply), StringComparison.Ordinal);
        Assert.Empty(await bed.Services.GetRequiredService<ISourceStore>().ListAsync(TestContext.Current.CancellationToken));
        Assert.Contains("No source matches \"1\"", ReplyText.Of(await bed.RunAsync("source remove 1")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourceRemove_ConfiguredSource_RefusedAndThePauseHintWorks()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        await bed.Services.GetRequiredService<ISourceStore>().AddAsync("https://news.example/feed", "news", FullTextMode.Never, fromConfig: true, SourceKind.Feed, TestContext.Current.CancellationToken);

        var reply = await bed.RunAsync("source remove news");

        Assert.True(reply.IsError);
        Assert.Contains("comes from configuration (NewsBot:Feeds:Sources in appsettings.json)", ReplyText.Of(reply), StringComparison.Ordinal);
        await HandlerBeds.FollowHintAsync(bed, reply, "/source pause 1");
        Assert.Single(await bed.Services.GetRequiredService<ISourceStore>().ListAsync(TestContext.Current.CancellationToken), s => s.Paused);
    }

    [Fact]
    public async Task Source_Member_RefusedAndNothingChanges()
    {
        using var bed = await HandlerBeds.NewsAsync();

        var reply = await bed.RunAsync("source remove news", admin: false, userId: "9");

        Assert.Equal("/source is for admins of this chat only.", ReplyText.Of(reply));
        Assert.Single(await bed.Services.GetRequiredService<ISourceStore>().ListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Import_ReportsEachEntry_AddedOrNotAFeed_ThenAlreadyKnown()
    {
        using var bed = await DeliveryTestBed.CreateAsync(AllowLoopback);
        await using var site = await CommandSite.StartAsync();

        var first = ReplyText.Of(await bed.RunAsync("import " + site.Url("/feeds.opml")));
        var second = ReplyText.Of(await bed.RunAsync("import " + site.Url("/feeds.opml")));

        Assert.Contains("Gazette added: source 1", first, StringComparison.Ordinal);
        Assert.Contains("Not a feed not added: not a feed", first, StringComparison.Ordinal);
        Assert.Contains("Gone not added: the server answered HTTP 404", first, StringComparison.Ordinal);
        Assert.Contains("Added 1 of 3 entries. Subscribe a channel with /subscribe 1.", first, StringComparison.Ordinal);
        Assert.Contains("Gazette already known: source 1", second, StringComparison.Ordinal);
        Assert.Single(await bed.Services.GetRequiredService<ISourceStore>().ListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Export_SaysWhichFileSourcesItLeftOut()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        await bed.AddSourceAsync("news");
        await bed.RunAsync("source add " + Path.Combine(RepositoryPaths.Samples, "feed.xml"), platform: Platform.Console);

        var text = ReplyText.Of(await bed.RunAsync("export"));

        Assert.Contains("https://news.example/feed", text, StringComparison.Ordinal);
        Assert.Contains("Left out local files, which another reader cannot fetch (1): \"Riverside Gazette (NewsBot sample)\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_WithoutOptions_ShowsTheCurrentSettings()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        await bed.RunAsync("settings max_per_hour:7");

        var text = ReplyText.Of(await bed.RunAsync("settings"));

        Assert.StartsWith("This channel's settings: at most 7 posts an hour", text, StringComparison.Ordinal);
        Assert.DoesNotContain("saved", text, StringComparison.Ordinal);
    }
}
