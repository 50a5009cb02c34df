using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Storage;
using NewsBot.Storage.Sqlite;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Storage;

/// <summary>
/// The hot knowledge queries go through indexes: none reads all articles or all topic rows, and the "newest first"
/// ones walk an index in order instead of sorting every match. Checked with EXPLAIN QUERY PLAN on a small archive,
/// where the planner has no statistics, like a live bot's database (which never runs ANALYZE).
/// </summary>
public sealed class QueryPlanTests
{
    // Tables the plans may only reach through an index or a key.
    private static readonly string[] LargeTables = ["a", "articles", "t", "article_topics", "related_links"];

    public static TheoryData<string> NewestFirstQueries => new()
    {
        "all", "source", "topic", "topic+before", "source+before", "topic+source",
    };

    [Theory]
    [MemberData(nameof(NewestFirstQueries))]
    public async Task LatestSql_AnyFilter_WalksAnIndexInOrder(string filter)
    {
        var query = new ArticleQuery(10,
            SourceId: filter.Contains("source", StringComparison.Ordinal) ? 1 : null,
            TopicKey: filter.Contains("topic", StringComparison.Ordinal) ? "climate" : null,
            Before: filter.Contains("before", StringComparison.Ordinal) ? DeliveryTestBed.Start : null);

        var plan = await PlanAsync(ArticleSql.Latest(query));

        AssertNoFullScan(plan);
        AssertNoSort(plan);
    }

    [Fact]
    public async Task SearchSql_CommonWord_TakesNewestMatchesFromTheIndexWithoutSortingThemAll()
    {
        var plan = await PlanAsync(SqliteSearchIndex.SearchSql);

        AssertNoFullScan(plan);
        Assert.Contains(plan, line => line.StartsWith("SCAN articles_fts VIRTUAL TABLE", StringComparison.Ordinal));
        // No sort: the full-text index yields newest first, and the bounded candidate set is ranked in process.
        AssertNoSort(plan);
    }

    [Fact]
    public async Task FirstIdSinceSql_WindowStart_UsesArrivalIndex()
    {
        var plan = await PlanAsync(SqliteSearchIndex.FirstIdSinceSql);

        AssertNoFullScan(plan);
        Assert.Contains(plan, line => line.Contains("ix_articles_first_seen", StringComparison.Ordinal));
        AssertNoSort(plan);
    }

    [Fact]
    public async Task RecentForStorySql_AfterKnownId_WalksIdsFromTheNewest()
    {
        var plan = await PlanAsync(SqliteArticleStore.RecentForStorySql);

        AssertNoFullScan(plan);
        Assert.Contains(plan, line => line.StartsWith("SEARCH articles USING INTEGER PRIMARY KEY (rowid>?)", StringComparison.Ordinal));
        AssertNoSort(plan);
    }

    [Fact]
    public async Task StoryPeersSql_OneStory_UsesStoryIndex()
    {
        var plan = await PlanAsync(SqliteArticleStore.StoryPeersSql);

        AssertNoFullScan(plan);
        Assert.Contains(plan, line => line.Contains("ix_articles_story", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RelatedLinksSql_OneArticle_UsesPrimaryKey()
    {
        var plan = await PlanAsync(SqliteArticleStore.RelatedLinksSql);

        AssertNoFullScan(plan);
        Assert.Contains(plan, line => line.StartsWith("SEARCH related_links USING PRIMARY KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CountByTopicSql_Window_ReadsOnlyTheWindowFromTimeIndex()
    {
        var plan = await PlanAsync(SqliteTopicStore.CountByTopicSql);

        AssertNoFullScan(plan);
        Assert.Contains(plan, line => line.Contains("ix_article_topics_time (sort_at>? AND sort_at<?)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CountArticlesSql_Window_ReadsOnlyTheWindowFromTimeIndex()
    {
        var plan = await PlanAsync(SqliteTopicStore.CountArticlesSql);

        AssertNoFullScan(plan);
        Assert.Contains(plan, line => line.Contains("ix_articles_sort (sort_at>? AND sort_at<?)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TermCountSql_OneWord_LooksUpEachOfItsTokensByKey()
    {
        var plan = await PlanAsync(TermCounts.CountSql);

        Assert.DoesNotContain(plan, line => line.StartsWith("SCAN c", StringComparison.Ordinal));
        Assert.Contains(plan, line => line.StartsWith("SEARCH c USING PRIMARY KEY (term=?)", StringComparison.Ordinal));
    }

    [Fact]
    public void AssertNoFullScan_PlainTableScan_Fails()
    {
        // The check itself must be able to fail: a plan that reads every article.
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertNoFullScan(["SCAN articles", "USE TEMP B-TREE FOR ORDER BY"]));
    }

    private static void AssertNoSort(IReadOnlyList<string> plan) =>
        Assert.DoesNotContain(plan, line => line.Contains("USE TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal));

    private static void AssertNoFullScan(IReadOnlyList<string> plan)
    {
        foreach (var line in plan)
        {
            Assert.False(LargeTables.Any(table => line == $"SCAN {table}"), $"Full scan in plan:\n{string.Join('\n', plan)}");
        }
    }

    /// <summary>The plan's lines (the "detail" column), on a migrated archive of a few articles with topics.</summary>
    private static async Task<IReadOnlyList<string>> PlanAsync(string sql)
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await bed.AddSourceAsync("herald");
        await bed.PublishAsync(source,
            ("Council approves new flood barriers for the river quarter", null, ["Climate", "Cities"]),
            ("Heatwave pushes power demand to a summer record", null, ["Climate", "Energy"]));

        await using var connection = await bed.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        // Every parameter any of the queries takes; SQLite ignores those a statement does not name.
        foreach (var (name, value) in new (string, object)[]
                 {
                     ("$topic", "climate"), ("$source", 1L), ("$before", 1L), ("$limit", 10L), ("$match", "\"flood\""), ("$candidates", 1000L),
                     ("$nowDays", 20_000.0), ("$since", 1L), ("$story", 1L), ("$id", 1L), ("$from", 1L), ("$to", 2L), ("$word", "flood"),
                 })
        {
            command.Parameters.Add(new SqliteParameter(name, value));
        }

        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            lines.Add(reader.GetString(reader.GetOrdinal("detail")));
        }

        return lines;
    }
}
