using Npgsql;

namespace NewsBot.Storage.Postgres;

/// <summary>
/// The one <see cref="NpgsqlDataSource"/> (its pool) of the process. Opening retries a transient failure (a server
/// restarting, a connection slot briefly unavailable) a few times with growing pauses; what still fails is left to
/// the caller's loop, which tries again on its next round (deliveries stay in the outbox meanwhile).
/// </summary>
public sealed class PgConnections(string connectionString, TimeProvider time) : IAsyncDisposable
{
    private static readonly TimeSpan[] Pauses = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(WithStatementCache(connectionString));

    /// <summary>The connection string without its password, safe to print.</summary>
    public string Location { get; } = WithoutPassword(connectionString);

    /// <summary>The settings as given (with the password), for tools that connect on their own (pg_dump).</summary>
    internal NpgsqlConnectionStringBuilder Settings => new(connectionString);

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await _dataSource.OpenConnectionAsync(cancellationToken);
            }
            catch (NpgsqlException ex) when (IsTransient(ex) && attempt < Pauses.Length)
            {
                // A server restart also leaves broken connections in the pool: drop them so the next try dials anew.
                _dataSource.Clear();
                await Task.Delay(Pauses[attempt], time, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> (which opens what it needs), again after a pause when a transient failure interrupts
    /// it, until <paramref name="patience"/> has passed: for the writes whose loss the user would see, such as a post's
    /// sent mark (lost, the post goes out twice). A server restart breaks every pooled connection on its next command,
    /// not on opening, so the pool is cleared before the next try. The work must be safe to repeat.
    /// </summary>
    public async Task<T> RetryAsync<T>(Func<Task<T>> work, TimeSpan patience, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await work();
            }
            catch (Exception ex) when (IsTransient(ex) && time.GetElapsedTime(started) < patience)
            {
                _dataSource.Clear();
                await Task.Delay(Pauses[Math.Min(attempt, Pauses.Length - 1)], time, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Whether a new connection may succeed where this one failed: Npgsql's transient failures (a broken or refused
    /// connection) and a server ending its sessions (57P01 admin shutdown, 57P02 crash shutdown, 57P03 starting up).
    /// </summary>
    public static bool IsTransient(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } or PostgresException { SqlState: "57P01" or "57P02" or "57P03" };

    /// <summary>Opens once, without retrying: start-up reports an unreachable server at once instead of waiting.</summary>
    public async Task<NpgsqlConnection> OpenOnceAsync(CancellationToken cancellationToken) => await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>For the few synchronous callers (index lookups inside pure computations).</summary>
    public NpgsqlConnection Open() => _dataSource.OpenConnection();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>
    /// The connection string with Npgsql's automatic preparation on unless it says otherwise: a statement run twice on a
    /// connection is kept prepared there (up to 100 per connection), so the statements run for every stored article
    /// are parsed and planned once per connection, not each time. In the 10,000-source load run that took the server's
    /// CPU from 128 s to 93 s and the first pass from 110 to 88 s (docs/benchmarks.md).
    /// </summary>
    internal static string WithStatementCache(string connectionString)
    {
        // The builder lists only the settings the string gives, under their canonical names (whatever spelling was used).
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = builder.Keys.Cast<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!given.Contains("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 100;
        }

        if (!given.Contains("Auto Prepare Min Usages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    public static string WithoutPassword(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Password = null };
        return builder.ConnectionString;
    }
}
