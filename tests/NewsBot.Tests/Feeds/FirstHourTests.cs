using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Fakes.Feeds;
using NewsBot.Feeds;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Feeds;

/// <summary>
/// Issue 13, the first hour of a real admin: what the first reads of many sources post, undated items, removing and
/// re-adding a source, changing a configured URL. The real services over a temp database and feed files (or the
/// loopback feed server), driven poll by poll.
/// </summary>
public sealed class FirstHourTests : IDisposable
{
    private static readonly DateTimeOffset Now = DeliveryTestBed.Start;
    private readonly TempFolder _feeds = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _feeds.Dispose();

    [Fact]
    public async Task FirstPoll_ThirtySources_BackfillsEachChannelFairlyAcrossSources()
    {
        var settings = new Dictionary<string, string?> { ["NewsBot:Feeds:BackfillCount"] = "10" };
        for (var feed = 0; feed < 30; feed++)
        {
            settings[$"NewsBot:Feeds:Sources:{feed}:Url"] = WriteFeed($"feed{feed}.xml", $"Feed {feed}", Enumerable.Range(0, 10)
                .Select(i => Item($"https://f{feed}.example/{i}", $"{Words(feed, i)} story {i}", Now.AddHours(-i).AddMinutes(-feed))).ToArray());
            settings[$"NewsBot:Feeds:Sources:{feed}:FullText"] = "never";
        }

        using var bed = await DeliveryTestBed.CreateAsync(settings);
        await SyncConfiguredAsync(bed);
        await SubscribeAllAsync(bed, "100");
        // Channel 200 subscribes to each source on its own, as the console does.
        var perSource = await bed.ChannelAsync("200");
        foreach (var source in await bed.Services.GetRequiredService<ISourceStore>().ListAsync(Ct))
        {
            await bed.Services.GetRequiredService<ISubscriptionStore>().UpsertAsync(new Subscription { ChannelId = perSource.Id, Target = SubscriptionTarget.Source, SourceId = source.Id }, Ct);
        }

        await PollAsync(bed);
        await bed.DispatchAsync();

        // Each channel: ten posts, the newest of ten different feeds; not ten of the first feed (nor 300 held for a digest).
        Assert.DoesNotContain(bed.Discord.Messages, m => m.Digest is not null);
        foreach (var channel in new[] { "100", "200" })
        {
            var posts = bed.Discord.Messages.Where(m => m.ChannelId == channel).Select(m => m.Post).OfType<Post>().ToList();
            Assert.Equal(10, posts.Count);
            Assert.Equal(10, posts.Select(p => p.SourceName).Distinct().Count());
            Assert.All(posts, p => Assert.EndsWith("story 0", p.Title, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Digest_LongBacklog_ListsTheNewestFewAndCountsTheRestWithAHintThatWorks()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await bed.AddSourceAsync("city");
        await SubscribeAllAsync(bed, "100");
        await bed.PublishAsync(source, Enumerable.Range(1, 40).Select(i => $"Story {i}").ToArray());
        bed.Clock.Advance(TimeSpan.FromMinutes(31));

        await bed.DispatchAsync();

        var digest = Assert.Single(bed.Discord.Messages).Digest!;
        Assert.Equal(DeliveryDispatcher.DigestMaxItems, digest.Items.Count);
        Assert.Equal("Story 40", digest.Items[^1].Title);
        Assert.Equal("and 25 more: /latest 20", digest.More);
        Assert.All(await bed.DeliveriesOfAsync("100"), d => Assert.Equal(DeliveryStatus.Digested, d.Status));
        var more = digest.More!;
        var hint = await bed.RunAsync(more[(more.IndexOf('/', StringComparison.Ordinal) + 1)..]);
        Assert.False(hint.IsError, ReplyText.Of(hint));
        Assert.Contains("Story 40", ReplyText.Of(hint), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Card_FifteenTopics_ShowsTheFiveBest()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await bed.AddSourceAsync("city");
        var article = Assert.Single(await bed.PublishAsync(source, ("Council news", null, Enumerable.Range(1, 15).Select(i => $"Topic {i:D2}").ToArray())));

        var post = await bed.Services.GetRequiredService<PostLoader>().CreateAsync(article, null, Ct);

        Assert.Equal(["Topic 01", "Topic 02", "Topic 03", "Topic 04", "Topic 05"], post.Topics);
    }

    [Fact]
    public async Task UndatedItems_FirstRead_TakeTheFeedsDateAndOnlyTheNewestFewArePosted()
    {
        var oldFeedDate = new DateTimeOffset(2015, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var undated = WriteFeed("undated.xml", "Old Blog", oldFeedDate, Enumerable.Range(1, 6).Select(i => Item($"https://blog.example/{i}", $"Old post {i}", null)).ToArray());
        var fresh = WriteFeed("fresh.xml", "Daily", Item("https://daily.example/1", "Today's story", Now.AddHours(-1)));
        using var bed = await DeliveryTestBed.CreateAsync(new Dictionary<string, string?>
        {
            ["NewsBot:Feeds:BackfillCount"] = "2",
            ["NewsBot:Feeds:Sources:0:Url"] = undated,
            ["NewsBot:Feeds:Sources:1:Url"] = fresh,
        });
        await SyncConfiguredAsync(bed);
        await SubscribeAllAsync(bed, "100");

        await PollAsync(bed);

        var latest = await bed.Services.GetRequiredService<IArticleStore>().LatestAsync(new ArticleQuery(10), Ct);
        Assert.Equal("Today's story", latest[0].Title);
        Assert.All(latest.Where(a => a.Title.StartsWith("Old post", StringComparison.Ordinal)), a => Assert.Equal(oldFeedDate, a.PublishedAt));
        // Two of the seven (the backfill), one per source.
        Assert.Equal(2, (await bed.DeliveriesOfAsync("100")).Count);
    }

    [Fact]
    public async Task LaterPoll_ItemOlderThanEveryKnownItem_IsStoredButNotPostedAndAnUndatedNewItemIs()
    {
        var path = WriteFeed("feed.xml", "News", Item("https://news.example/a", "A", Now.AddHours(-2)), Item("https://news.example/b", "B", Now.AddHours(-3)));
        using var bed = await DeliveryTestBed.CreateAsync(new Dictionary<string, string?> { ["NewsBot:Feeds:Sources:0:Url"] = path });
        await SyncConfiguredAsync(bed);
        await SubscribeAllAsync(bed, "100");
        await PollAsync(bed);
        Assert.Equal(2, (await bed.DeliveriesOfAsync("100")).Count);

        // The feed now also shows a year-old item it did not list before, and a new item without a date.
        WriteFeed("feed.xml", "News", Item("https://news.example/new", "New, undated", null), Item("https://news.example/a", "A", Now.AddHours(-2)),
            Item("https://news.example/b", "B", Now.AddHours(-3)), Item("https://news.example/old", "Year-old item", Now.AddYears(-1)));
        bed.Clock.Advance(TimeSpan.FromHours(1));
        await PollAsync(bed);

        var articles = bed.Services.GetRequiredService<IArticleStore>();
        var deliveries = await bed.DeliveriesOfAsync("100");
        var posted = (await articles.GetManyAsync(deliveries.Select(d => d.ArticleId).ToList(), Ct)).Select(a => a.Title).ToList();
        Assert.Equal(3, posted.Count);
        Assert.Contains("New, undated", posted);
        Assert.DoesNotContain("Year-old item", posted);
        Assert.Equal(4, await articles.CountAsync(Ct));
    }

    [Fact]
    public async Task RemoveConfiguredSource_IsRefusedWithAPauseThatLastsAcrossRestarts()
    {
        var path = WriteFeed("feed.xml", "News", Item("https://news.example/a", "A", Now.AddHours(-2)));
        using var bed = await DeliveryTestBed.CreateAsync(new Dictionary<string, string?> { ["NewsBot:Feeds:Sources:0:Url"] = path, ["NewsBot:Feeds:Sources:0:Name"] = "News" });
        await SyncConfiguredAsync(bed);

        var reply = await bed.RunAsync("source remove 1");

        Assert.True(reply.IsError);
        var text = ReplyText.Of(reply);
        Assert.True(text.Contains("NewsBot:Feeds:Sources", StringComparison.Ordinal), text);
        Assert.DoesNotContain("Removed", text, StringComparison.Ordinal);
        var pause = text[text.IndexOf("/source pause", StringComparison.Ordinal)..].Split(' ').Take(3);
        Assert.False((await bed.RunAsync(string.Join(' ', pause)[1..])).IsError);
        await SyncConfiguredAsync(bed);
        var source = Assert.Single(await bed.Services.GetRequiredService<ISourceStore>().ListAsync(Ct));
        Assert.True(source.Paused);
    }

    [Fact]
    public async Task RemoveThenAddBack_PostsNothingThatWasPosted()
    {
        await using var server = await FakeFeedServer.StartAsync(new FakeFeedOptions { FeedCount = 1, InitialItems = 4 }, Ct);
        using var bed = await DeliveryTestBed.CreateAsync(new Dictionary<string, string?>
        {
            ["NewsBot:Feeds:AllowPrivateAddresses"] = "true",
            ["NewsBot:Feeds:BackfillCount"] = "3",
        });
        await SubscribeAllAsync(bed, "100");
        var added = await bed.RunAsync($"source add {server.FeedUrl(0)}");
        Assert.False(added.IsError, ReplyText.Of(added));
        await PollAsync(bed);
        await bed.DispatchAsync();
        Assert.Equal(3, bed.Discord.Messages.Count);

        var removed = ReplyText.Of(await bed.RunAsync("source remove 1"));
        Assert.Contains("Deleted: stored articles 4, subscriptions 0.", removed, StringComparison.Ordinal);
        Assert.False((await bed.RunAsync($"source add {server.FeedUrl(0)}")).IsError);
        await PollAsync(bed);
        await bed.DispatchAsync();

        Assert.Equal(3, bed.Discord.Messages.Count);
        Assert.Equal(4, await bed.Services.GetRequiredService<IArticleStore>().CountAsync(Ct));
    }

    [Fact]
    public async Task ConfiguredUrlOverridden_NameFollowsTheFeedAndNothingPostedIsPostedAgain()
    {
        var shared = Enumerable.Range(1, 3).Select(i => Item($"https://news.example/{i}", $"Story {i}", Now.AddHours(-i))).ToArray();
        var oldUrl = WriteFeed("old.xml", "Old Feed", shared);
        var newUrl = WriteFeed("new.xml", "New Feed", [Item("https://news.example/4", "Story 4", Now), .. shared]);
        using var folder = new TempFolder();
        var baseSettings = new Dictionary<string, string?> { ["NewsBot:Feeds:Sources:0:Url"] = oldUrl, ["NewsBot:Feeds:Sources:0:Name"] = "Old Name" };
        long sourceId;
        using (var first = TestHosts.Build(folder, baseSettings))
        {
            await first.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(Ct);
            await SyncConfiguredAsync(first.Services);
            await SubscribeAllAsync(first.Services, Platform.Console, "console");
            await first.Services.GetRequiredService<FeedPollingService>().PollDueAsync(Ct);
            sourceId = Assert.Single(await first.Services.GetRequiredService<ISourceStore>().ListAsync(Ct)).Id;
        }

        // An environment variable (a later configuration layer) overrides only the URL.
        using var second = TestHosts.Build(folder, baseSettings, configure: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["NewsBot:Feeds:Sources:0:Url"] = newUrl }));
        await SyncConfiguredAsync(second.Services);
        await second.Services.GetRequiredService<FeedPollingService>().PollDueAsync(Ct);

        var source = Assert.Single(await second.Services.GetRequiredService<ISourceStore>().ListAsync(Ct));
        Assert.Equal(sourceId, source.Id);
        Assert.Equal("New Feed", source.DisplayName);
        var channel = await second.Services.GetRequiredService<IChannelStore>().GetOrAddAsync(Platform.Console, "console", null, null, null, Ct);
        var deliveries = await second.Services.GetRequiredService<IDeliveryStore>().ListForChannelAsync(channel.Id, Ct);
        var titles = (await second.Services.GetRequiredService<IArticleStore>().GetManyAsync(deliveries.Select(d => d.ArticleId).ToList(), Ct)).Select(a => a.Title).Order();
        Assert.Equal(["Story 1", "Story 2", "Story 3", "Story 4"], titles);
    }

    /// <summary>Words no other title shares, so story detection keeps the items apart.</summary>
    private static string Words(int feed, int item) =>
        string.Join(' ', Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes((feed * 100) + item))).Chunk(8).Take(4).Select(c => new string(c)));

    private static Task SyncConfiguredAsync(DeliveryTestBed bed) => SyncConfiguredAsync(bed.Services);

    private static Task SyncConfiguredAsync(IServiceProvider services) =>
        services.GetServices<IHostedService>().OfType<ConfiguredSourceSync>().Single().StartAsync(Ct);

    private static Task SubscribeAllAsync(DeliveryTestBed bed, string channelId) => SubscribeAllAsync(bed.Services, Platform.Discord, channelId);

    private static async Task SubscribeAllAsync(IServiceProvider services, Platform platform, string channelId)
    {
        var channel = await services.GetRequiredService<IChannelStore>().GetOrAddAsync(platform, channelId, null, null, null, Ct);
        await services.GetRequiredService<ISubscriptionStore>().UpsertAsync(new Subscription { ChannelId = channel.Id, Target = SubscriptionTarget.All }, Ct);
    }

    private static Task PollAsync(DeliveryTestBed bed) => bed.Services.GetRequiredService<FeedPollingService>().PollDueAsync(Ct);

    private string WriteFeed(string name, string title, params string[] items) => WriteFeed(name, title, null, items);

    private string WriteFeed(string name, string title, DateTimeOffset? built, params string[] items)
    {
        var date = built is { } b ? $"<lastBuildDate>{b.ToString("r", CultureInfo.InvariantCulture)}</lastBuildDate>" : "";
        var path = _feeds.File(name);
        File.WriteAllText(path, $"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>{date}{string.Concat(items)}</channel></rss>");
        return path;
    }

    private static string Item(string link, string title, DateTimeOffset? published) =>
        $"<item><link>{link}</link><title>{title}</title>{(published is { } p ? $"<pubDate>{p.ToString("r", CultureInfo.InvariantCulture)}</pubDate>" : "")}<description>{title}.</description></item>";
}
