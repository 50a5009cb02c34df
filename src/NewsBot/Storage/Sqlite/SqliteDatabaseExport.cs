using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace NewsBot.Storage.Sqlite;

/// <summary>The database file's tables for <c>db copy</c>: one read transaction, so every table is read at the same moment.</summary>
internal sealed class SqliteDatabaseExport(SqliteConnectionFactory connections) : IDatabaseExport
{
    public string Location => connections.DatabasePath;

    public async Task<IDatabaseSnapshot> OpenSnapshotAsync(CancellationToken cancellationToken)
    {
        var connection = await connections.OpenAsync(cancellationToken);
        // A deferred transaction takes its WAL snapshot at the first read and keeps it until disposed.
        var transaction = connection.BeginTransaction(deferred: true);
        return new Snapshot(connection, transaction);
    }

    private sealed class Snapshot(SqliteConnection connection, SqliteTransaction transaction) : IDatabaseSnapshot
    {
        public async Task<IReadOnlyList<string>> ColumnsAsync(string table, CancellationToken cancellationToken) =>
            await connection.QueryAsync(transaction, "SELECT name FROM pragma_table_info($table) ORDER BY cid", r => r.GetString(0), cancellationToken, ("$table", table));

        public async Task<long> CountAsync(string table, CancellationToken cancellationToken) =>
            await connection.ScalarAsync<long>(transaction, $"SELECT count(*) FROM {table}", cancellationToken);

        public async IAsyncEnumerable<object?[]> RowsAsync(string table, IReadOnlyList<string> columns, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await using var command = connection.Command(transaction, $"SELECT {string.Join(", ", columns)} FROM {table}");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var values = new object?[columns.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                yield return values;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
