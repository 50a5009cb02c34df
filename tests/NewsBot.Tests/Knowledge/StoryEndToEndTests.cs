using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Commands;
using NewsBot.Feeds;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Knowledge;

/// <summary>
/// One post per story, through the whole pipeline: two outlets' feeds (files, as configured sources) are fetched,
/// parsed, enriched and stored by the real refresher, a channel follows everything, the dispatcher posts to a
/// recording platform, and /summary shows the second outlet as "also covered by".
/// </summary>
public sealed class StoryEndToEndTests
{
    private const string StormLead =
        "Storm Ellen brought gusts of up to 120 km/h to the north coast overnight, leaving about 40,000 homes without power " +
        "and closing the coastal railway between Harbour Bay and Kingsport.";

    private const string StormLeadRetold =
        "About 40,000 homes on the north coast were without power on Tuesday after Storm Ellen brought gusts of 120 km/h " +
        "and shut the railway between Harbour Bay and Kingsport.";

    private const string HeatLead =
        "Forecasters issued an amber heat warning for the southern valleys, where temperatures are expected to reach 39C " +
        "on Thursday; councils are opening cooling centres in libraries.";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Refresh_TwoOutletsSameStory_OnePostAndSecondOutletAlsoCovered()
    {
        using var feeds = new TempFolder();
        using var bed = await DeliveryTestBed.CreateAsync();
        await bed.RunAsync("subscribe all");
        var herald = await AddFeedAsync(bed, feeds, "north-herald",
            new FeedItem("Storm Ellen cuts power to 40,000 homes along the north coast", StormLead, "storm-ellen-power-cuts", "Weather"));
        var courier = await AddFeedAsync(bed, feeds, "coast-courier",
            new FeedItem("Tens of thousands without electricity as Storm Ellen batters north coast", StormLeadRetold, "storm-ellen-outages", "Weather"));

        var first = await RefreshAsync(bed, herald);
        await bed.DispatchAsync();
        bed.Clock.Advance(TimeSpan.FromMinutes(40));
        var second = await RefreshAsync(bed, courier);
        await bed.DispatchAsync();

        Assert.Equal((1, 1), (first.NewArticles, first.DeliveriesPlanned));
        // The second outlet's article is stored, but the channel already has this story planned.
        Assert.Equal((1, 0), (second.NewArticles, second.DeliveriesPlanned));
        var posted = Assert.Single(bed.Discord.Messages);
        Assert.Equal("Storm Ellen cuts power to 40,000 homes along the north coast", posted.Post?.Title);

        var articles = bed.Services.GetRequiredService<IArticleStore>();
        var original = Assert.Single(await articles.LatestAsync(new ArticleQuery(5, SourceId: herald.Id), Token));
        var retold = Assert.Single(await articles.LatestAsync(new ArticleQuery(5, SourceId: courier.Id), Token));
        Assert.Equal(original.StoryId, retold.StoryId);
        Assert.NotEqual(original.Id, retold.Id);

        var reply = await bed.RunAsync("summary " + original.ShortId);
        var detail = Assert.Single(reply.Blocks.OfType<ReplyArticleDetail>());
        var also = Assert.Single(detail.Article.AlsoCoveredBy);
        Assert.Equal("coast-courier", also.Title);
        Assert.Equal("https://coast-courier.example/news/storm-ellen-outages", also.Url);
    }

    [Fact]
    public async Task Refresh_TwoOutletsDifferentStoriesSameTopic_TwoPosts()
    {
        using var feeds = new TempFolder();
        using var bed = await DeliveryTestBed.CreateAsync();
        await bed.RunAsync("subscribe all");
        var herald = await AddFeedAsync(bed, feeds, "north-herald",
            new FeedItem("Storm Ellen cuts power to 40,000 homes along the north coast", StormLead, "storm-ellen-power-cuts", "Weather"));
        var courier = await AddFeedAsync(bed, feeds, "south-courier",
            new FeedItem("Amber heat warning for southern valleys as temperatures head for 39C", HeatLead, "heat-warning-valleys", "Weather"));

        await RefreshAsync(bed, herald);
        await bed.DispatchAsync();
        bed.Clock.Advance(TimeSpan.FromMinutes(40));
        var second = await RefreshAsync(bed, courier);
        await bed.DispatchAsync();

        Assert.Equal(1, second.DeliveriesPlanned);
        Assert.Equal(
            ["Storm Ellen cuts power to 40,000 homes along the north coast", "Amber heat warning for southern valleys as temperatures head for 39C"],
            bed.Discord.Messages.Select(m => m.Post?.Title));
        var articles = await bed.Services.GetRequiredService<IArticleStore>().LatestAsync(new ArticleQuery(5, TopicKey: "weather"), Token);
        Assert.Equal(2, articles.Select(a => a.StoryId).Distinct().Count());
    }

    private sealed record FeedItem(string Title, string Description, string Slug, string Category);

    private static async Task<RefreshResult> RefreshAsync(DeliveryTestBed bed, Source source)
    {
        var result = await bed.Services.GetRequiredService<SourceRefresher>().RefreshAsync(source, Token);
        Assert.Null(result.Error);
        return result;
    }

    /// <summary>An outlet's RSS feed as a file, added as a configured source (configured sources may be files).</summary>
    private static async Task<Source> AddFeedAsync(DeliveryTestBed bed, TempFolder folder, string outlet, FeedItem item)
    {
        // Published a little before "now" on the bed's clock, as news is when it is polled.
        var published = bed.Clock.GetUtcNow().AddMinutes(-5).ToString("r", CultureInfo.InvariantCulture);
        var path = folder.File(outlet + ".xml");
        await File.WriteAllTextAsync(path,
            $"""
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0">
              <channel>
                <title>{outlet}</title>
                <link>https://{outlet}.example/</link>
                <description>News from {outlet}</description>
                <item>
                  <title>{item.Title}</title>
                  <link>https://{outlet}.example/news/{item.Slug}</link>
                  <guid isPermaLink="false">{outlet}-{item.Slug}</guid>
                  <pubDate>{published}</pubDate>
                  <category>{item.Category}</category>
                  <description>{item.Description}</description>
                </item>
              </channel>
            </rss>
            """, Token);
        var (source, _) = await bed.Services.GetRequiredService<ISourceStore>().AddAsync(path, outlet, FullTextMode.Never, fromConfig: true, SourceKind.Feed, Token);
        return source;
    }
}
