using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace NewsBot.Storage.Postgres;

/// <summary>The PostgreSQL database: migrations (table schema_version, under an advisory lock), counts and backup.</summary>
public sealed partial class PostgresDatabase(PgConnections connections, ILogger<PostgresDatabase> logger) : IStorageMaintenance
{
    /// <summary>The advisory lock that serialises migrations: two processes starting together migrate once.</summary>
    private const long MigrationLock = 0x4E65_7773_426F_74;

    private static readonly string[] Tables = ["sources", "articles", "topics", "channels", "subscriptions", "deliveries"];

    public static int LatestVersion => PgMigrations.Steps.Count;

    public string Setting => DatabaseOptions.ConnectionStringSetting;

    public string Location => connections.Location;

    public int SchemaVersion => LatestVersion;

    /// <summary>The database itself is the server's: connecting tells whether it is there, and never creates it.</summary>
    public bool Exists => true;

    public string? FailureReason(Exception exception) => PgErrors.Reason(exception);

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenOnceAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Held to the end of the transaction; a second process waits here, then finds the schema current.
        await connection.ExecuteAsync(transaction, "SELECT pg_advisory_xact_lock(@lock)", cancellationToken, ("lock", MigrationLock));
        await connection.ExecuteAsync(transaction, "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)", cancellationToken);
        var version = await connection.ScalarAsync<long>(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version", cancellationToken);
        if (version > LatestVersion)
        {
            throw new StorageVersionException(
                $"The database {Location} has schema version {version}, written by a newer NewsBot; this build knows up to {LatestVersion}. " +
                $"Run the newer NewsBot, or point {Setting} at another database.");
        }

        for (var step = (int)version; step < LatestVersion; step++)
        {
            await connection.ExecuteAsync(transaction, PgMigrations.Steps[step], cancellationToken);
        }

        if (version < LatestVersion)
        {
            await connection.ExecuteAsync(transaction, "DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (@version)", cancellationToken, ("version", LatestVersion));
        }

        await transaction.CommitAsync(cancellationToken);
        if (version < LatestVersion)
        {
            LogMigrated(logger, LatestVersion, Location);
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
        info["bytes"] = await connection.ScalarAsync<long>(null, "SELECT pg_database_size(current_database())", cancellationToken);
        return info;
    }

    /// <summary>PostgreSQL is backed up with its own tool, which takes a consistent snapshot while the bot writes.</summary>
    public Task<string> BackupAsync(string target, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the PostgreSQL engine is backed up with pg_dump, e.g. pg_dump --format=custom --file=newsbot.dump --dbname=newsbot (README: PostgreSQL)");

    [LoggerMessage(Level = LogLevel.Information, Message = "Database migrated to schema version {Version} ({DatabasePath})")]
    private static partial void LogMigrated(ILogger logger, int version, string databasePath);
}

/// <summary>Why the PostgreSQL database cannot be used, in words an operator can act on (never the password).</summary>
internal static class PgErrors
{
    /// <returns>The reason, or null when <paramref name="exception"/> is not a database failure.</returns>
    public static string? Reason(Exception exception) => exception switch
    {
        // SQLSTATE codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
        PostgresException { SqlState: "28P01" or "28000" } => "the server refused the login (wrong user or password; the password may come from PGPASSWORD)",
        PostgresException { SqlState: "3D000" } => "the server has no such database (create it first, e.g. createdb newsbot)",
        PostgresException { SqlState: "57P03" } => "the server is starting up or shutting down; try again in a moment",
        PostgresException { SqlState: "42501" } => "permission denied (the user may not create tables in this database)",
        PostgresException pg => $"PostgreSQL error {pg.SqlState}: {FirstLine(pg.MessageText)}",
        NpgsqlException { InnerException: SocketException socket } => $"cannot reach the server ({FirstLine(socket.Message)})",
        NpgsqlException { InnerException: TimeoutException } => "cannot reach the server (timed out)",
        NpgsqlException npgsql => FirstLine(npgsql.Message),
        StorageVersionException version => version.Message,
        NotSupportedException unsupported => unsupported.Message,
        _ => null,
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim().TrimEnd('.');
}
