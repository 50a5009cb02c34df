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

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

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
            catch (NpgsqlException ex) when (ex.IsTransient && attempt < Pauses.Length)
            {
                // A server restart also leaves broken connections in the pool: drop them so the next try dials anew.
                _dataSource.Clear();
                await Task.Delay(Pauses[attempt], time, cancellationToken);
            }
        }
    }

    /// <summary>Opens once, without retrying: start-up reports an unreachable server at once instead of waiting.</summary>
    public async Task<NpgsqlConnection> OpenOnceAsync(CancellationToken cancellationToken) => await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>For the few synchronous callers (index lookups inside pure computations).</summary>
    public NpgsqlConnection Open() => _dataSource.OpenConnection();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public static string WithoutPassword(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Password = null };
        return builder.ConnectionString;
    }
}
