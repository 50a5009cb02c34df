using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
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
        // Held to the end of the transaction; a second process waits here (as long as the steps take: step 9 reads every
        // search vector, minutes at a million articles), then finds the schema current.
        await connection.ExecuteUnboundedAsync(transaction, "SELECT pg_advisory_xact_lock(@lock)", cancellationToken, ("lock", MigrationLock));
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
            await connection.ExecuteUnboundedAsync(transaction, PgMigrations.Steps[step], cancellationToken);
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

    /// <summary>
    /// PostgreSQL's own tool, pg_dump, in its custom format (restore with pg_restore): a consistent snapshot while the
    /// bot keeps writing. The password goes to it in its environment, never on its command line.
    /// </summary>
    public async Task<string> BackupAsync(string target, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(target);
        var settings = connections.Settings;
        var start = new ProcessStartInfo("pg_dump") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--format=custom");
        start.ArgumentList.Add("--no-password");
        start.ArgumentList.Add("--file=" + path);
        start.ArgumentList.Add("--host=" + settings.Host);
        start.ArgumentList.Add("--port=" + settings.Port.ToString(CultureInfo.InvariantCulture));
        if (settings.Username is { Length: > 0 } user)
        {
            start.ArgumentList.Add("--username=" + user);
        }

        if (settings.Database is { Length: > 0 } name)
        {
            start.ArgumentList.Add("--dbname=" + name);
        }

        if (settings.Password is { Length: > 0 } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            throw new PgDumpException("pg_dump is not installed (apt-get install -y postgresql-client)");
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new PgDumpException("pg_dump failed: " + (await error).Split('\n', 2)[0].Trim());
            }
        }

        return path;
    }

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
        PgDumpException dump => dump.Message,
        _ => null,
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim().TrimEnd('.');
}

/// <summary>pg_dump could not make the backup; the message says why.</summary>
internal sealed class PgDumpException(string message) : Exception(message);
