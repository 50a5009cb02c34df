using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace NewsBot.Storage.Postgres;

/// <summary>Small helpers over Npgsql so stores read as SQL with parameters (@name).</summary>
internal static class PgSql
{
    public static NpgsqlCommand Command(this NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        Bind(command.Parameters, parameters);
        return command;
    }

    public static async Task<int> ExecuteAsync(this NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// As <see cref="ExecuteAsync"/>, with no command timeout: for work that takes as long as the data is large (a
    /// migration step rewriting a big table) or waits for such work (the migration lock).
    /// </summary>
    public static async Task<int> ExecuteUnboundedAsync(this NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(transaction, sql, parameters);
        command.CommandTimeout = 0;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Runs the statements in order in one round trip (an <see cref="NpgsqlBatch"/>): for the rows an ingest writes
    /// around each article (keys, topics, links), which would otherwise each wait for the server in turn.
    /// </summary>
    public static async Task ExecuteBatchAsync(this NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<(string Sql, (string Name, object? Value)[] Parameters)> statements, CancellationToken cancellationToken)
    {
        if (statements.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (sql, parameters) in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            Bind(command.Parameters, parameters);
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<T?> ScalarAsync<T>(this NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The rows of a query. A statement the connection keeps prepared (<see cref="PgConnections.WithStatementCache"/>)
    /// whose columns a newer process's migration changed ("SELECT *" after a column was added, during a rolling
    /// upgrade) fails on every connection that prepared it, and keeps failing. So on that failure the pool's
    /// connections are dropped; outside a transaction the query then runs once more, unprepared; in one, the
    /// transaction is lost and the caller tries again as after any failed write.
    /// </summary>
    public static async Task<List<T>> QueryAsync<T>(this NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        try
        {
            return await ReadAllAsync(connection, transaction, sql, map, cancellationToken, parameters);
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.FeatureNotSupported, Routine: "RevalidateCachedQuery" })
        {
            NpgsqlConnection.ClearPool(connection);
            if (transaction is not null)
            {
                throw;
            }

            connection.UnprepareAll();
            return await ReadAllAsync(connection, transaction, sql, map, cancellationToken, parameters);
        }
    }

    private static async Task<List<T>> ReadAllAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var results = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(map(reader));
        }

        return results;
    }

    private static void Bind(NpgsqlParameterCollection target, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            target.AddWithValue(name, ToDb(value));
        }
    }

    /// <summary>Times are Unix milliseconds, as in the SQLite engine (one row mapping for both); enums their lower-case name.</summary>
    private static object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset time => time.ToUnixTimeMilliseconds(),
        Enum e => e.ToString().ToLowerInvariant(),
        _ => value,
    };
}
