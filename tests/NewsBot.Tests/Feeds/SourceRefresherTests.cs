using Microsoft.Extensions.DependencyInjection;
using NewsBot.Feeds;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Feeds;

/// <summary>The whole refresh of one source (fetch → parse → process → store → plan deliveries) over a feed file that changes between polls.</summary>
public sealed class SourceRefresherTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _feedPath;

    public SourceRefresherTests() => _feedPath = _folder.File("feed.xml");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Refresh_FeedChurns_NeverPostsAnItemTwice()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await SubscribedSourceAsync(bed);

        WriteFeed(Item("a", "http://news.example/a", "Council approves the new bridge", "Mon, 02 Mar 2026 08:00:00 GMT"),
                  Item("b", "http://news.example/b", "Library opens on Sunday", "Mon, 02 Mar 2026 07:00:00 GMT"));
        Assert.Equal(2, (await RefreshAsync(bed, source)).DeliveriesPlanned);

        // Reordered, pubDate rewritten, link switched to https with tracking parameters, one item dropped.
        WriteFeed(Item("a", "https://news.example/a?utm_source=rss&utm_medium=feed", "Council approves the new bridge", "Tue, 03 Mar 2026 10:00:00 GMT"));
        Assert.Equal(0, (await RefreshAsync(bed, source)).NewArticles);

        // The dropped item comes back, its GUID changed but its link the same; and one really new item.
        WriteFeed(Item("c", "https://news.example/c", "Floods close the underpass", "Tue, 03 Mar 2026 11:00:00 GMT"),
                  Item("b-v2", "http://www.news.example/b/", "Library opens on Sunday", "Mon, 02 Mar 2026 07:00:00 GMT"),
                  Item("a", "https://news.example/a", "Council approves the new bridge", "Mon, 02 Mar 2026 08:00:00 GMT"));
        var third = await RefreshAsync(bed, source);

        Assert.Equal(1, third.NewArticles);
        Assert.Equal(1, third.DeliveriesPlanned);
        Assert.Equal(3, (await bed.DeliveriesOfAsync("100")).Count);
    }

    [Fact]
    public async Task Refresh_EditedItem_UpdatesTheArticleWithoutANewPost()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await SubscribedSourceAsync(bed);
        WriteFeed(Item("a", "https://news.example/a", "Council approves bridge", "Mon, 02 Mar 2026 08:00:00 GMT"));
        await RefreshAsync(bed, source);

        WriteFeed(Item("a", "https://news.example/a", "Council approves the new river bridge", "Mon, 02 Mar 2026 08:00:00 GMT"));
        var edit = await RefreshAsync(bed, source);

        Assert.Equal(1, edit.EditedArticles);
        Assert.Equal(0, edit.DeliveriesPlanned);
        var article = Assert.Single(await bed.Services.GetRequiredService<IArticleStore>().LatestAsync(new ArticleQuery(5), TestContext.Current.CancellationToken));
        Assert.Equal("Council approves the new river bridge", article.Title);
    }

    [Fact]
    public async Task Refresh_RepeatedFailures_BackOffThenDisableAndTellTheChannelOnce()
    {
        using var bed = await DeliveryTestBed.CreateAsync(new Dictionary<string, string?> { ["NewsBot:Feeds:MaxConsecutiveFailures"] = "3" });
        var source = await SubscribedSourceAsync(bed);
        File.WriteAllText(_feedPath, "Service temporarily unavailable. Please try again later.");
        var sources = bed.Services.GetRequiredService<ISourceStore>();
        var waits = new List<TimeSpan>();

        for (var i = 0; i < 3; i++)
        {
            var result = await RefreshAsync(bed, source);
            Assert.NotNull(result.Error);
            var row = (await sources.GetAsync(source.Id, TestContext.Current.CancellationToken))!;
            waits.Add(row.NextPollAt - bed.Clock.GetUtcNow());
        }

        var disabled = (await sources.GetAsync(source.Id, TestContext.Current.CancellationToken))!;
        Assert.Equal(3, disabled.ConsecutiveFailures);
        Assert.NotNull(disabled.DisabledReason);
        Assert.NotNull(disabled.LastError);
        Assert.True(waits[1] > waits[0], "the wait grows after each failure");
        Assert.Empty(await sources.ListDueAsync(bed.Clock.GetUtcNow() + TimeSpan.FromDays(30), 10, TestContext.Current.CancellationToken));
        Assert.Single(bed.Discord.Notices);
    }

    [Fact]
    public async Task Refresh_ManyItemsWithEqualOrMissingDates_StoredInFeedOrder()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await SubscribedSourceAsync(bed);
        WriteFeed(Item("seed", "https://news.example/seed", "Seed", "Mon, 02 Mar 2026 06:00:00 GMT"));
        await RefreshAsync(bed, source);

        // More items than List.Sort sorts by insertion (16), so an unstable sort would shuffle the ties. The feed
        // lists newest first: the last listed of a tie is the oldest and is stored first; undated items sort first.
        var feed = Enumerable.Range(0, 48).Select(i => (Name: $"n{i:D2}", Dated: i % 3 != 0)).ToList();
        WriteFeed([.. feed.Select(item => item.Dated
            ? Item(item.Name, $"https://news.example/{item.Name}", item.Name, "Mon, 02 Mar 2026 08:00:00 GMT")
            : UndatedItem(item.Name, $"https://news.example/{item.Name}", item.Name))]);
        Assert.Equal(48, (await RefreshAsync(bed, source)).NewArticles);

        var stored = await bed.Services.GetRequiredService<IArticleStore>().LatestAsync(new ArticleQuery(100, source.Id), TestContext.Current.CancellationToken);
        var byId = stored.Where(a => a.Title != "Seed").OrderBy(a => a.Id).Select(a => a.Title).ToList();
        var expected = Enumerable.Reverse(feed).Where(item => !item.Dated).Concat(Enumerable.Reverse(feed).Where(item => item.Dated)).Select(item => item.Name).ToList();
        Assert.Equal(expected, byId);
    }

    private async Task<Source> SubscribedSourceAsync(DeliveryTestBed bed)
    {
        var ct = TestContext.Current.CancellationToken;
        var (source, _) = await bed.Services.GetRequiredService<ISourceStore>().AddAsync(_feedPath, "News", FullTextMode.Never, fromConfig: true, SourceKind.Feed, ct);
        var channel = await bed.ChannelAsync("100");
        await bed.Services.GetRequiredService<ISubscriptionStore>().UpsertAsync(new Subscription { ChannelId = channel.Id, Target = SubscriptionTarget.Source, SourceId = source.Id }, ct);
        return source;
    }

    /// <summary>Refreshes with the source as it is stored now (validators, failure count).</summary>
    private static async Task<RefreshResult> RefreshAsync(DeliveryTestBed bed, Source source)
    {
        var current = (await bed.Services.GetRequiredService<ISourceStore>().GetAsync(source.Id, TestContext.Current.CancellationToken))!;
        return await bed.Services.GetRequiredService<SourceRefresher>().RefreshAsync(current, TestContext.Current.CancellationToken);
    }

    private void WriteFeed(params string[] items) =>
        File.WriteAllText(_feedPath, $"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>News</title>{string.Concat(items)}</channel></rss>");

    private static string UndatedItem(string guid, string link, string title) =>
        $"<item><guid isPermaLink=\"false\">{guid}</guid><link>{link}</link><title>{title}</title><description>{title}.</description></item>";

    private static string Item(string guid, string link, string title, string date) =>
        $"<item><guid isPermaLink=\"false\">{guid}</guid><link>{System.Security.SecurityElement.Escape(link)}</link><title>{title}</title><pubDate>{date}</pubDate><description>{title}.</description></item>";
}
