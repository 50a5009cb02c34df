using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace NewsBot.Storage.Sqlite;

/// <summary>Opens connections to the one database file with the settings every connection needs.</summary>
public sealed class SqliteConnectionFactory
{
    /// <summary>
    /// Per-connection settings; WAL itself is persistent and set once by the migrator. The page cache is 512 KiB
    /// instead of SQLite's 2 MiB: the pool keeps a connection per concurrent task (about 25 under load), each
    /// cache fills up over time, and reads are served well enough by the operating system's file cache.
    /// </summary>
    private const string ConnectionPragmas = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -512;";

    private readonly string _connectionString;

    public SqliteConnectionFactory(IOptions<StorageOptions> options, IHostEnvironment environment)
    {
        DatabasePath = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.Database));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Waits this long for another writer instead of failing at once with SQLITE_BUSY.
            DefaultTimeout = 30,
        }.ToString();
    }

    public string DatabasePath { get; }

    /// <summary>For the few synchronous callers (index lookups inside pure computations).</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        AddFunctions(connection);
        using var command = connection.CreateCommand();
        command.CommandText = ConnectionPragmas;
        command.ExecuteNonQuery();
        return connection;
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        AddFunctions(connection);
        await connection.ExecuteAsync(ConnectionPragmas, cancellationToken);
        return connection;
    }

    /// <summary>
    /// newsbot_fts(text): what the full-text index stores for a column (<see cref="CjkBigrams.Expand"/>). The index
    /// triggers call it, so every connection that writes articles needs it (the sqlite3 shell does not have it).
    /// </summary>
    internal static void AddFunctions(SqliteConnection connection) =>
        connection.CreateFunction("newsbot_fts", (string? text) => text is null ? null : CjkBigrams.Expand(text), isDeterministic: true);
}
