using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace NewsBot.Storage.Sqlite;

/// <summary>The database file: migrations (<c>PRAGMA user_version</c>), counts and online backup.</summary>
public sealed partial class SqliteDatabase(SqliteConnectionFactory connections, ILogger<SqliteDatabase> logger) : IStorageMaintenance
{
    public static int LatestVersion => Migrations.Steps.Count;

    private static readonly string[] Tables = ["sources", "articles", "topics", "channels", "subscriptions", "deliveries"];

    public string Setting => "NewsBot:Database";

    public string Location => connections.DatabasePath;

    public int SchemaVersion => LatestVersion;

    public bool Exists => File.Exists(connections.DatabasePath);

    public string? FailureReason(Exception exception) => StorageErrors.Reason(exception);

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

    public async Task<IReadOnlyDictionary<string, long>> DescribeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var info = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            info[table] = await connection.ScalarAsync<long>(null, $"SELECT COUNT(*) FROM {table}", cancellationToken);
        }

        info["pending_deliveries"] = await connection.ScalarAsync<long>(null, "SELECT COUNT(*) FROM deliveries WHERE status = 'pending'", cancellationToken);
        info["bytes"] = new FileInfo(connections.DatabasePath).Length;
        return info;
    }

    public async Task<string> BackupAsync(string target, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(target);
        await using var source = await connections.OpenAsync(cancellationToken);
        await using var destination = new SqliteConnection($"Data Source={path};Pooling=False");
        // SQLite's online backup: a consistent copy while the bot keeps writing.
        await destination.OpenAsync(cancellationToken);
        source.BackupDatabase(destination);
        return path;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database migrated to schema version {Version} ({DatabasePath})")]
    private static partial void LogMigrated(ILogger logger, int version, string databasePath);
}
