using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NewsBot.Storage;

/// <summary>Brings the database to the schema this build knows, at start-up, before anything else touches it.</summary>
public sealed partial class DatabaseMigrator(SqliteConnectionFactory connections, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public static int LatestVersion => Migrations.Steps.Count;

    public async Task StartAsync(CancellationToken cancellationToken) => await MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(connections.DatabasePath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        var version = await connection.ScalarAsync<long>(null, "PRAGMA user_version;", cancellationToken);
        if (version > LatestVersion)
        {
            throw new StorageVersionException(
                $"The database {connections.DatabasePath} has schema version {version}, written by a newer NewsBot; this build knows up to {LatestVersion}. " +
                "Run the newer NewsBot, or point NewsBot:Database at another file.");
        }

        for (var step = (int)version; step < LatestVersion; step++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await transaction.ExecuteAsync(Migrations.Steps[step], cancellationToken);
            // PRAGMA takes no parameters; the value is our own integer.
            await transaction.ExecuteAsync($"PRAGMA user_version = {step + 1};", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogMigrated(logger, step + 1, connections.DatabasePath);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database migrated to schema version {Version} ({DatabasePath})")]
    private static partial void LogMigrated(ILogger logger, int version, string databasePath);
}

/// <summary>The database cannot be used by this build; the message says why and what to do.</summary>
public sealed class StorageVersionException(string message) : Exception(message);
