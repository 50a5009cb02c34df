using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using NewsBot.Storage;
using NewsBot.Storage.Postgres;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>The PostgreSQL engine's own schema handling: migrations under an advisory lock, a newer schema refused, db info.</summary>
public sealed class PostgresDatabaseTests(PostgresServer server)
{
    [Fact]
    public async Task Migrate_TwoProcessesStartingTogether_MigrateOnce()
    {
        using var folder = new TempFolder();
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        using var first = TestHosts.Build(folder, settings);
        using var second = TestHosts.Build(folder, settings);

        await Task.WhenAll(
            first.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken),
            second.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken));

        Assert.Equal([(long)PostgresDatabase.LatestVersion], await VersionsAsync(settings));
    }

    [Fact]
    public async Task Migrate_NewerSchema_RefusedNamingBothVersions()
    {
        using var folder = new TempFolder();
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        using var host = TestHosts.Build(folder, settings);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        await ExecuteAsync(settings, $"UPDATE schema_version SET version = {PostgresDatabase.LatestVersion + 1}");

        var error = await Assert.ThrowsAsync<StorageVersionException>(() => host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"schema version {PostgresDatabase.LatestVersion + 1}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"knows up to {PostgresDatabase.LatestVersion}", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, host.Services.GetRequiredService<IStorageMaintenance>().FailureReason(error));
    }

    [Fact]
    public async Task Describe_MigratedDatabase_CountsTablesWithoutThePassword()
    {
        using var folder = new TempFolder();
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        settings["NewsBot:Database:ConnectionString"] += ";Password=hunter2";
        using var host = TestHosts.Build(folder, settings);
        var database = host.Services.GetRequiredService<IStorageMaintenance>();
        await database.MigrateAsync(TestContext.Current.CancellationToken);

        var info = await database.DescribeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, info["articles"]);
        Assert.True(info["bytes"] > 0);
        Assert.Equal("NewsBot:Database:ConnectionString", database.Setting);
        Assert.DoesNotContain("hunter2", database.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_WithPgDump_WritesACustomFormatDump()
    {
        using var folder = new TempFolder();
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        using var host = TestHosts.Build(folder, settings);
        var database = host.Services.GetRequiredService<IStorageMaintenance>();
        await database.MigrateAsync(TestContext.Current.CancellationToken);

        var written = await database.BackupAsync(folder.File("newsbot.dump"), TestContext.Current.CancellationToken);

        var header = new byte[5];
        await using (var dump = File.OpenRead(written))
        {
            await dump.ReadExactlyAsync(header, TestContext.Current.CancellationToken);
        }

        Assert.Equal("PGDMP", System.Text.Encoding.ASCII.GetString(header));
    }

    private static async Task<List<long>> VersionsAsync(IReadOnlyDictionary<string, string?> settings)
    {
        await using var connection = new NpgsqlConnection(settings["NewsBot:Database:ConnectionString"]);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT version FROM schema_version", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var versions = new List<long>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            versions.Add(reader.GetInt64(0));
        }

        return versions;
    }

    private static async Task ExecuteAsync(IReadOnlyDictionary<string, string?> settings, string sql)
    {
        await using var connection = new NpgsqlConnection(settings["NewsBot:Database:ConnectionString"]);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
