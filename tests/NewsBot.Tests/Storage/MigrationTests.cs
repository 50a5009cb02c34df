using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
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
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {SqliteDatabase.LatestVersion + 1}";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        using var host = TestHosts.Build(folder, new Dictionary<string, string?>());
        var error = await Assert.ThrowsAsync<StorageVersionException>(() => host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken));
        Assert.Contains("newer NewsBot", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
