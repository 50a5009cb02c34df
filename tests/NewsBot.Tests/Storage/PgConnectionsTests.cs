using Npgsql;
using NewsBot.Storage.Postgres;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>The PostgreSQL connection pool's settings: statements kept prepared, and what that must survive.</summary>
public sealed class PgConnectionsTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void StatementCache_OnUnlessTheConnectionStringSaysOtherwise()
    {
        var given = new NpgsqlConnectionStringBuilder(PgConnections.WithStatementCache("Host=db;Username=newsbot;Max Auto Prepare=0"));
        var defaulted = new NpgsqlConnectionStringBuilder(PgConnections.WithStatementCache("Host=db;Username=newsbot"));

        Assert.Equal(0, given.MaxAutoPrepare);
        Assert.Equal(100, defaulted.MaxAutoPrepare);
        Assert.Equal(2, defaulted.AutoPrepareMinUsages);
    }

    [Fact]
    public async Task PreparedStatement_AnotherProcessAddsAColumn_ReadsTheNewShape()
    {
        var connectionString = await server.CreateDatabaseAsync(Ct);
        await using var connections = new PgConnections(connectionString, TimeProvider.System);
        await ExecuteAsync(connectionString, "CREATE TABLE shapes (id BIGINT); INSERT INTO shapes VALUES (1)");
        for (var i = 0; i < 3; i++)
        {
            await ColumnsAsync(connections);
        }

        // A newer process migrates while this one runs (a rolling upgrade): migrations only add columns.
        await ExecuteAsync(connectionString, "ALTER TABLE shapes ADD COLUMN name TEXT NOT NULL DEFAULT 'x'");
        var afterMigration = await ColumnsAsync(connections);
        var next = await ColumnsAsync(connections);

        Assert.Equal(2, afterMigration);
        Assert.Equal(2, next);
    }

    private static async Task<int> ColumnsAsync(PgConnections connections)
    {
        await using var connection = await connections.OpenAsync(Ct);
        var columns = await connection.QueryAsync(null, "SELECT * FROM shapes WHERE id = @id", r => r.FieldCount, Ct, ("id", 1L));
        return columns.Single();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
