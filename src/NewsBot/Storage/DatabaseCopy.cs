using Microsoft.Extensions.Logging;
using NewsBot.Storage.Postgres;

namespace NewsBot.Storage;

/// <summary>The tables of an embedded database read for moving them elsewhere (<see cref="DatabaseCopy"/>); the SQLite engine offers it.</summary>
public interface IDatabaseExport
{
    /// <summary>Where the data is read from, safe to print.</summary>
    string Location { get; }

    /// <summary>One consistent view of every table for the whole copy (the bot may still be writing).</summary>
    Task<IDatabaseSnapshot> OpenSnapshotAsync(CancellationToken cancellationToken);
}

/// <summary>A read-only view of the database at one moment; values as the engine stores them (integers, reals, text, null).</summary>
public interface IDatabaseSnapshot : IAsyncDisposable
{
    Task<IReadOnlyList<string>> ColumnsAsync(string table, CancellationToken cancellationToken);

    Task<long> CountAsync(string table, CancellationToken cancellationToken);

    IAsyncEnumerable<object?[]> RowsAsync(string table, IReadOnlyList<string> columns, CancellationToken cancellationToken);
}

/// <summary>One table moved: rows in the source, rows in the target afterwards.</summary>
public sealed record TableCopy(string Table, long SourceRows, long TargetRows);

/// <summary>
/// What <c>db copy</c> did: the target (without its password), per-table counts, how many sampled rows were compared
/// field by field, and each difference found (none when the copy is verified).
/// </summary>
public sealed record DatabaseCopyReport(string Target, IReadOnlyList<TableCopy> Tables, int SampledRows, IReadOnlyList<string> Differences, TimeSpan Elapsed)
{
    public bool Verified => Differences.Count == 0 && Tables.All(t => t.SourceRows == t.TargetRows);
}

/// <summary>The copy was not started: the message says why (a non-empty target) and what to do.</summary>
public sealed class DatabaseCopyRefusedException(string message) : Exception(message);

/// <summary>
/// Moving up: every row of the embedded database into an empty PostgreSQL one, ids kept, in one transaction (a copy
/// that fails leaves the target empty, so it can simply be run again), then verified.
/// </summary>
public static class DatabaseCopy
{
    /// <summary>What moves, parents before children. Leases and cluster membership are not data: they start anew.</summary>
    public static IReadOnlyList<string> Tables { get; } =
    [
        "sources", "articles", "article_keys", "topics", "article_topics", "related_links",
        "channels", "subscriptions", "deliveries", "delivered_keys", "platform_state",
    ];

    /// <summary>Rows compared field by field per table, spread evenly over it (first and last included).</summary>
    public const int SampleRowsPerTable = 100;

    /// <summary>
    /// Copies <paramref name="source"/> into the PostgreSQL database at <paramref name="connectionString"/> (migrated
    /// first); refuses with <see cref="DatabaseCopyRefusedException"/> when any of its tables holds a row.
    /// Database failures surface as exceptions that <see cref="FailureReason"/> words safely.
    /// </summary>
    public static async Task<DatabaseCopyReport> ToPostgresAsync(IDatabaseExport source, string connectionString, TimeProvider time, ILoggerFactory loggers, IProgress<TableCopy>? progress, CancellationToken cancellationToken)
    {
        if (PostgresStorageExtensions.Validate(connectionString) is { } invalid)
        {
            throw new DatabaseCopyRefusedException(invalid.Replace(DatabaseOptions.ConnectionStringSetting, "--to", StringComparison.Ordinal));
        }

        // Named as given: the copy's own connection settings (no command timeout) are not the bot's.
        return await PgImport.CopyAsync(source, connectionString, time, loggers, progress, cancellationToken) with { Target = SafeLocation(connectionString) };
    }

    /// <summary>The target's failure in words an operator can act on (never the password); null for other failures.</summary>
    public static string? FailureReason(Exception exception) => PgErrors.Reason(exception);

    /// <summary>The connection string as it may be printed.</summary>
    public static string SafeLocation(string connectionString) => PgConnections.WithoutPassword(connectionString);
}
