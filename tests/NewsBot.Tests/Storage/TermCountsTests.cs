using Microsoft.Extensions.DependencyInjection;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;
using NewsBot.Storage.Sqlite;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>Per-word article counts kept beside the full-text index (term_counts, migration 9).</summary>
public sealed class TermCountsTests
{
    // Diacritics, apostrophes, Cyrillic, Urdu (combining marks), Chinese runs and digits: wherever a tokenizer could differ.
    private static readonly (string Title, string Text)[] Mixed =
    [
        ("Glaciers retreat in the Alps", "Glaciologists measured the glaciers: the ice retreat doubled, and it's the 3rd year running."),
        ("Café owners don't expect the rent to fall", "Die Mieten für Cafés in Zürich steigen weiter; the café owners' union met on Monday."),
        ("Ледники в Альпах тают быстрее", "Гляциологи измерили ледники этим летом: отступление льда удвоилось."),
        ("پاکستان میں بارشوں سے سیلاب", "محکمہ موسمیات کے مطابق آئندہ دنوں میں مزید بارشوں کا امکان ہے۔"),
        ("全球气候变化会议在巴黎开幕", "各国代表讨论气候变化和冰川融化的问题。"),
        ("Glacier survey finds thinner ice", "The survey of alpine glaciers found thinner ice in 2026."),
    ];

    [Fact]
    public async Task Ingest_EditAndSourceRemoval_CountsStayEqualToTheIndex()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var herald = await bed.AddSourceAsync("herald");
        var courier = await bed.AddSourceAsync("courier");
        var heraldArticles = await IngestAsync(bed, herald, Mixed.Take(4).ToArray());
        await IngestAsync(bed, courier, Mixed.Skip(4).ToArray());
        await AssertCountsEqualIndexAsync(bed.Services);

        using (var counts = bed.Services.GetRequiredService<ISearchIndex>().OpenTermCounts())
        {
            Assert.Equal(2, counts.Count("glaciers"));
            Assert.Equal(1, counts.Count("Cafe"));
        }

        // A feed edit changes the title (terms leave and arrive); removing a source deletes its articles by cascade.
        var edit = new ArticleEdit(heraldArticles[0].Id, "Avalanche warning for the Alps", null, null, null, []);
        await bed.Services.GetRequiredService<IArticleStore>().IngestAsync(
            new IngestBatch(herald, [], [edit]), bed.Services.GetRequiredService<IDeliveryPlanner>(), TestContext.Current.CancellationToken);
        await AssertCountsEqualIndexAsync(bed.Services);
        using (var counts = bed.Services.GetRequiredService<ISearchIndex>().OpenTermCounts())
        {
            Assert.Equal(1, counts.Count("avalanche"));
            Assert.Equal(1, counts.Count("retreat"));
        }

        await bed.Services.GetRequiredService<ISourceStore>().RemoveAsync(herald.Id, TestContext.Current.CancellationToken);
        await AssertCountsEqualIndexAsync(bed.Services);
        using (var counts = bed.Services.GetRequiredService<ISearchIndex>().OpenTermCounts())
        {
            Assert.Equal(1, counts.Count("glaciers"));
            Assert.Equal(0, counts.Count("cafe"));
            Assert.Equal(0, counts.Count("avalanche"));
        }

        // A word no article holds any more leaves no row behind.
        await using var connection = await bed.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0L, await connection.ScalarAsync<long>(null, "SELECT count(*) FROM term_counts WHERE term = 'cafe' OR articles <= 0", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("glaciers", 2)]
    [InlineData("GLACIERS", 2)]
    [InlineData("it's", 1)]
    [InlineData("气候", 1)]
    [InlineData("气候变化", 1)]
    [InlineData("候气", 0)]
    [InlineData("unheard", 0)]
    [InlineData("--", 0)]
    public async Task Count_WordAsTheIndexSplitsIt_CountsItsRarestPart(string word, long expected)
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        await IngestAsync(bed, await bed.AddSourceAsync("herald"), Mixed);

        using var counts = bed.Services.GetRequiredService<ISearchIndex>().OpenTermCounts();

        Assert.Equal(expected, counts.Count(word));
    }

    [Fact]
    public async Task Migrate_Version8WithArticles_FillsCountsFromTheIndexAndKeepsThem()
    {
        using var folder = new TempFolder();
        var path = folder.File("newsbot.db");
        await MigrationTests.CreateAtVersionAsync(path, 8, async connection =>
        {
            await connection.ExecuteAsync("INSERT INTO sources (id, url, created_at) VALUES (1, 'https://herald.example/feed', 0)", TestContext.Current.CancellationToken);
            for (var i = 0; i < Mixed.Length; i++)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO articles (id, source_id, dedup_key, title, text, first_seen_at, sort_at, story_id) VALUES ($id, 1, $id, $title, $text, 0, 0, $id)",
                    TestContext.Current.CancellationToken, ("$id", i + 1), ("$title", Mixed[i].Title), ("$text", Mixed[i].Text));
            }
        });

        using var host = TestHosts.Build(folder, new Dictionary<string, string?>());
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

        await AssertCountsEqualIndexAsync(host.Services);
        using (var counts = host.Services.GetRequiredService<ISearchIndex>().OpenTermCounts())
        {
            Assert.Equal(2, counts.Count("glaciers"));
        }

        // From then on the triggers keep them.
        await using (var connection = await host.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(TestContext.Current.CancellationToken))
        {
            await connection.ExecuteAsync(
                "INSERT INTO articles (id, source_id, dedup_key, title, first_seen_at, sort_at, story_id) VALUES (99, 1, 'x', 'More glaciers melt', 0, 0, 99)",
                TestContext.Current.CancellationToken);
            await connection.ExecuteAsync("DELETE FROM articles WHERE id = 1", TestContext.Current.CancellationToken);
        }

        await AssertCountsEqualIndexAsync(host.Services);
        using (var counts = host.Services.GetRequiredService<ISearchIndex>().OpenTermCounts())
        {
            Assert.Equal(2, counts.Count("glaciers"));
            Assert.Equal(1, counts.Count("melt"));
        }
    }

    /// <summary>Every word's count equals what the full-text index itself holds (fts5vocab reads the index).</summary>
    private static async Task AssertCountsEqualIndexAsync(IServiceProvider services)
    {
        await using var connection = await services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(TestContext.Current.CancellationToken);
        var kept = await connection.QueryAsync("SELECT term, articles FROM term_counts ORDER BY term", r => (r.GetString(0), r.GetInt64(1)), TestContext.Current.CancellationToken);
        var index = await connection.QueryAsync("SELECT term, doc FROM articles_vocab ORDER BY term", r => (r.GetString(0), r.GetInt64(1)), TestContext.Current.CancellationToken);
        Assert.NotEmpty(index);
        Assert.Equal(index, kept);
    }

    private static async Task<IReadOnlyList<Article>> IngestAsync(DeliveryTestBed bed, Source source, (string Title, string Text)[] articles)
    {
        var drafts = articles.Select(a => (new ArticleDraft
        {
            Source = source,
            DedupKey = a.Title,
            Url = "https://herald.example/" + Uri.EscapeDataString(a.Title),
            Title = a.Title,
            Text = a.Text,
            FirstSeenAt = DeliveryTestBed.Start,
        }, (IReadOnlyList<string>)[a.Title])).ToList();
        var result = await bed.Services.GetRequiredService<IArticleStore>().IngestAsync(
            new IngestBatch(source, drafts, []), bed.Services.GetRequiredService<IDeliveryPlanner>(), TestContext.Current.CancellationToken);
        return result.Stored;
    }
}
