using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Enrichment;
using NewsBot.Model;
using NewsBot.Reading;

namespace NewsBot.Tests.Reading;

public sealed class ArticlePageEnricherTests
{
    private static readonly string BikeLanesUrl = new Uri(ReadingFiles.SamplePath("riverside-bike-lanes.html")).ToString();

    /// <summary>Serves local files like the real fetcher does for configured sources, and records what it was asked.</summary>
    private sealed class FilePageFetcher : IPageFetcher
    {
        public List<(string Url, bool AllowFile)> Requests { get; } = [];

        public string? Failure { get; init; }

        public Task<PageFetchResult> FetchPageAsync(string url, bool allowFile, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Requests.Add((url, allowFile));
            if (Failure is not null)
            {
                return Task.FromResult(PageFetchResult.Failure(Failure));
            }

            var uri = new Uri(url);
            return Task.FromResult(PageFetchResult.Success(File.ReadAllBytes(uri.LocalPath), "text/html; charset=utf-8", uri));
        }
    }

    private static ArticleDraft Draft(FullTextMode mode, string? contentHtml = null) => new()
    {
        Source = new Source { Id = 7, Url = "samples/feed.xml", FullText = mode, FromConfig = true },
        DedupKey = BikeLanesUrl,
        Url = BikeLanesUrl,
        Title = "Riverside council approves protected bike lanes on Main Street",
        ContentHtml = contentHtml,
    };

    private static ArticlePageEnricher Enricher(IPageFetcher fetcher, ILogger<ArticlePageEnricher>? logger = null, TimeProvider? time = null) =>
        new(new ArticleExtractor(), fetcher, new UnreadablePageLog(time ?? TimeProvider.System), logger ?? NullLogger<ArticlePageEnricher>.Instance);

    [Fact]
    public async Task EnrichAsync_AutoWithTeaser_FillsTextMetadataRelatedAndTopics()
    {
        var fetcher = new FilePageFetcher();
        var draft = Draft(FullTextMode.Auto, "<p>Councillors voted for kerb-separated lanes…</p>");

        await Enricher(fetcher).EnrichAsync(draft, TestContext.Current.CancellationToken);

        Assert.Equal([(BikeLanesUrl, true)], fetcher.Requests);
        Assert.StartsWith("Riverside's council voted seven to two", draft.Text, StringComparison.Ordinal);
        Assert.Contains("\n\nThe plan replaces", draft.Text, StringComparison.Ordinal);
        Assert.Equal("Maya Okafor", draft.Author);
        Assert.Equal("en-GB", draft.Language);
        // The sample's picture is a local file: no chat platform can show it, so it is not the article's image.
        Assert.Null(draft.ImageUrl);
        Assert.Equal(4, draft.Related.Count);
        Assert.Contains(new TopicTag("Transport", TopicOrigin.PageTag), draft.Topics);
    }

    [Fact]
    public async Task EnrichAsync_ExistingValues_KeepsThemAndAvoidsDuplicates()
    {
        var draft = Draft(FullTextMode.Always, "<p>Short feed text.</p>");
        draft.Author = "Courier staff";
        draft.Language = "en";
        draft.Topics.Add(new TopicTag("transport", TopicOrigin.Category));
        draft.Related.Add(new RelatedLink("Reaction", new Uri(ReadingFiles.SamplePath("bike-lanes-reaction.html")).ToString()));

        await Enricher(new FilePageFetcher()).EnrichAsync(draft, TestContext.Current.CancellationToken);

        Assert.Equal("Courier staff", draft.Author);
        Assert.Equal("en", draft.Language);
        Assert.Equal(4, draft.Related.Count);
        Assert.Single(draft.Topics, topic => topic.Name.Equals("transport", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task EnrichAsync_Never_DoesNotFetch()
    {
        var fetcher = new FilePageFetcher();
        var draft = Draft(FullTextMode.Never, "<p>Teaser…</p>");

        await Enricher(fetcher).EnrichAsync(draft, TestContext.Current.CancellationToken);

        Assert.Empty(fetcher.Requests);
        Assert.Null(draft.Text);
    }

    [Fact]
    public async Task EnrichAsync_AutoWithFullFeedText_DoesNotFetch()
    {
        var fetcher = new FilePageFetcher();
        var fullText = string.Concat(Enumerable.Repeat("<p>The council approved the lanes after a long debate about parking and safety.</p>", 10));

        await Enricher(fetcher).EnrichAsync(Draft(FullTextMode.Auto, fullText), TestContext.Current.CancellationToken);

        Assert.Empty(fetcher.Requests);
    }

    [Fact]
    public async Task EnrichAsync_FetchFails_LeavesDraftUntouchedAndLogsReason()
    {
        var logger = new FakeLogger<ArticlePageEnricher>();
        var draft = Draft(FullTextMode.Always, "<p>Teaser</p>");

        await Enricher(new FilePageFetcher { Failure = "fetch.http_status: 404" }, logger).EnrichAsync(draft, TestContext.Current.CancellationToken);

        Assert.Null(draft.Text);
        Assert.Null(draft.Author);
        Assert.Empty(draft.Related);
        Assert.Empty(draft.Topics);
        Assert.Contains("fetch.http_status: 404", logger.LatestRecord.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnrichAsync_ManyPagesOfOneSourceFail_OneInformationLinePerHourEachPageAtDebug()
    {
        var logger = new FakeLogger<ArticlePageEnricher>();
        var time = new FakeTimeProvider();
        var enricher = Enricher(new FilePageFetcher { Failure = "fetch.http_status: 403" }, logger, time);

        for (var i = 0; i < 20; i++)
        {
            await enricher.EnrichAsync(Draft(FullTextMode.Always, "<p>Teaser</p>"), TestContext.Current.CancellationToken);
        }

        time.Advance(UnreadablePageLog.SummaryInterval);
        await enricher.EnrichAsync(Draft(FullTextMode.Always, "<p>Teaser</p>"), TestContext.Current.CancellationToken);

        var records = logger.Collector.GetSnapshot();
        var summaries = records.Where(r => r.Level >= LogLevel.Information).ToList();
        Assert.Equal(2, summaries.Count);
        Assert.Contains("could not be read: 1 since", summaries[0].Message, StringComparison.Ordinal);
        Assert.Contains("could not be read: 20 since", summaries[1].Message, StringComparison.Ordinal);
        Assert.Contains("fetch.http_status: 403", summaries[1].Message, StringComparison.Ordinal);
        Assert.Equal(21, records.Count(r => r.Level == LogLevel.Debug));
    }

    [Fact]
    public async Task EnrichAsync_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Enricher(new FilePageFetcher()).EnrichAsync(Draft(FullTextMode.Always), cancellation.Token));
    }

    [Theory]
    [InlineData(FullTextMode.Auto, "A short teaser.", true)]
    [InlineData(FullTextMode.Never, "A short teaser.", false)]
    [InlineData(FullTextMode.Always, "", true)]
    public void ShouldRead_Mode_DecidesByFeedText(FullTextMode mode, string feedText, bool expected) =>
        Assert.Equal(expected, ArticlePageEnricher.ShouldRead(mode, feedText));

    [Fact]
    public void ShouldRead_LongTextEndingLikeTeaser_Reads() =>
        Assert.True(ArticlePageEnricher.ShouldRead(FullTextMode.Auto, new string('x', 800) + " Continue reading"));

    [Fact]
    public void AddReading_WithHostFetcher_ResolvesPageEnricher()
    {
        using var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IPageFetcher, FilePageFetcher>()
            .AddReading()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<ArticlePageEnricher>(Assert.Single(provider.GetServices<IArticleEnricher>()));
        Assert.NotNull(provider.GetService<ArticleExtractor>());
    }
}
