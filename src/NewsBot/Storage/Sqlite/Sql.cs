using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace NewsBot.Storage.Sqlite;

/// <summary>Small helpers over ADO.NET so stores read as SQL with parameters.</summary>
internal static class Sql
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        connection.Command(null, sql, parameters);

    public static SqliteCommand Command(this SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, ToDb(value));
        }

        return command;
    }

    public static async Task<int> ExecuteAsync(this SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<int> ExecuteAsync(this SqliteTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = ((SqliteConnection)transaction.Connection!).Command(transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<T?> ScalarAsync<T>(this SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    public static async Task<List<T>> QueryAsync<T>(this SqliteConnection connection, SqliteTransaction? transaction, string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
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

    public static Task<List<T>> QueryAsync<T>(this SqliteConnection connection, string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        connection.QueryAsync(null, sql, map, cancellationToken, parameters);

    public static long ToUnixMs(this DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset time => time.ToUnixMs(),
        bool flag => flag ? 1L : 0L,
        Enum e => e.ToString().ToLowerInvariant(),
        _ => value,
    };
}
