using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>PostgreSQL's per-word article counts (term_counts, PgMigrations 6): kept by triggers equal to the search vectors.</summary>
public sealed class PostgresTermCountsTests(PostgresServer server)
{
    [Fact]
    public async Task Ingest_EditAndSourceRemoval_CountsStayEqualToTheIndex()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        using var bed = await DeliveryTestBed.CreateAsync(settings);
        var herald = await bed.AddSourceAsync("herald");
        var courier = await bed.AddSourceAsync("courier");
        var stored = await bed.PublishAsync(herald, "Glaciers retreat in the Alps", "Café owners don't expect the rent to fall", "全球气候变化会议在巴黎开幕");
        await bed.PublishAsync(courier, "Glacier survey finds thinner ice in the Alps");
        await AssertCountsEqualIndexAsync(settings["NewsBot:Database:ConnectionString"]!);
        using (var counts = bed.Services.GetRequiredService<ISearchIndex>().OpenTermCounts())
        {
            Assert.Equal(2, counts.Count("ALPS"));
            Assert.Equal(1, counts.Count("Cafe"));
            Assert.Equal(1, counts.Count("气候变化"));
            Assert.Equal(0, counts.Count("候气"));
            Assert.Equal(0, counts.Count("--"));
        }

        var edit = new ArticleEdit(stored[0].Id, "Avalanche warning", null, null, null, []);
        await bed.Services.GetRequiredService<IArticleStore>().IngestAsync(new IngestBatch(herald, [], [edit]), bed.Services.GetRequiredService<IDeliveryPlanner>(), ct);
        await AssertCountsEqualIndexAsync(settings["NewsBot:Database:ConnectionString"]!);
        await bed.Services.GetRequiredService<ISourceStore>().RemoveAsync(herald.Id, ct);
        await AssertCountsEqualIndexAsync(settings["NewsBot:Database:ConnectionString"]!);

        using var after = bed.Services.GetRequiredService<ISearchIndex>().OpenTermCounts();
        Assert.Equal(1, after.Count("alps"));
        Assert.Equal(0, after.Count("avalanche"));
        Assert.Equal(0, after.Count("cafe"));
    }

    /// <summary>Every lexeme's count equals the number of search vectors holding it (ts_stat reads them all), with no zero rows left.</summary>
    internal static async Task AssertCountsEqualIndexAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM (SELECT word, ndoc FROM ts_stat('SELECT search FROM articles') EXCEPT SELECT term, articles FROM term_counts) missing),
                   (SELECT count(*) FROM (SELECT term, articles FROM term_counts EXCEPT SELECT word, ndoc FROM ts_stat('SELECT search FROM articles')) extra)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal((0L, 0L), (reader.GetInt64(0), reader.GetInt64(1)));
    }
}
