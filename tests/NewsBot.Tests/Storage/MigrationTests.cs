using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Knowledge;
using NewsBot.Storage;
using NewsBot.Storage.Sqlite;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrate_EmptyFile_ReachesLatestVersionWithWal()
    {
        using var folder = new TempFolder();
        using var host = TestHosts.Build(folder, new Dictionary<string, string?> { ["NewsBot:Database"] = folder.File("sub/dir/news.db") });
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

        await using var connection = new SqliteConnection($"Data Source={folder.File("sub/dir/news.db")}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal((long)SqliteDatabase.LatestVersion, await Scalar(connection, "PRAGMA user_version"));
        Assert.Equal("wal", await Scalar(connection, "PRAGMA journal_mode"));
        foreach (var table in new[] { "sources", "articles", "articles_fts", "topics", "article_topics", "related_links", "channels", "subscriptions", "deliveries", "platform_state" })
        {
            Assert.Equal(1L, await Scalar(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE name = '{table}'"));
        }
    }

    [Fact]
    public async Task Migrate_RunTwice_IsNoOp()
    {
        using var folder = new TempFolder();
        using var host = TestHosts.Build(folder, new Dictionary<string, string?>());
        var migrator = host.Services.GetRequiredService<DatabaseMigrator>();
        await migrator.MigrateAsync(TestContext.Current.CancellationToken);
        await migrator.MigrateAsync(TestContext.Current.CancellationToken);

        await using var connection = await host.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal((long)SqliteDatabase.LatestVersion, await Scalar(connection, "PRAGMA user_version"));
    }

    [Fact]
    public async Task Migrate_NewerDatabase_RefusedWithClearMessage()
    {
        using var folder = new TempFolder();
        var path = folder.File("newsbot.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await Execute(connection, $"PRAGMA user_version = {SqliteDatabase.LatestVersion + 1}");
        }

        using var host = TestHosts.Build(folder, new Dictionary<string, string?>());
        var error = await Assert.ThrowsAsync<StorageVersionException>(() => host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken));
        Assert.Contains("newer NewsBot", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_Version4WithChineseArticle_KeepsItAndMakesWordsInsideRunsSearchable()
    {
        using var folder = new TempFolder();
        var path = folder.File("newsbot.db");
        await CreateAtVersionAsync(path, 4, async connection =>
        {
            await Execute(connection, "INSERT INTO sources (id, url, created_at) VALUES (1, 'https://example.cn/feed', 0)");
            await Execute(connection,
                """
                INSERT INTO articles (id, source_id, dedup_key, title, first_seen_at, sort_at, story_id) VALUES
                    (1, 1, 'a', '全球气候变化会议在巴黎开幕', 0, 0, 1),
                    (2, 1, 'b', 'Council approves the budget', 0, 0, 2)
                """);
        });

        using var host = TestHosts.Build(folder, new Dictionary<string, string?>());
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        var index = host.Services.GetRequiredService<ISearchIndex>();

        Assert.Equal([1L], (await index.SearchAsync(SearchQuery.Parse("气候 ")!, 10, TestContext.Current.CancellationToken)).Select(a => a.Id));
        Assert.Equal([2L], (await index.SearchAsync(SearchQuery.Parse("budget ")!, 10, TestContext.Current.CancellationToken)).Select(a => a.Id));

        // The index takes the row out with the values it was indexed with: an edited title leaves no stale match.
        await using (var connection = await host.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(TestContext.Current.CancellationToken))
        {
            await Execute(connection, "UPDATE articles SET title = '东京奥运会' WHERE id = 1");
        }

        Assert.Empty(await index.SearchAsync(SearchQuery.Parse("气候 ")!, 10, TestContext.Current.CancellationToken));
        Assert.Equal([1L], (await index.SearchAsync(SearchQuery.Parse("奥运 ")!, 10, TestContext.Current.CancellationToken)).Select(a => a.Id));
    }

    /// <summary>A database file at an older schema <paramref name="version"/>, holding what <paramref name="fill"/> writes.</summary>
    internal static async Task CreateAtVersionAsync(string path, int version, Func<SqliteConnection, Task> fill)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        SqliteConnectionFactory.AddFunctions(connection);
        foreach (var step in Migrations.Steps.Take(version))
        {
            await Execute(connection, step);
        }

        await fill(connection);
        await Execute(connection, $"PRAGMA user_version = {version}");
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
