using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>The throwaway PostgreSQL server the PostgreSQL engine's tests run on.</summary>
public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task CreateDatabaseAsync_TwoTests_EachGetsItsOwnDatabase()
    {
        var first = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var second = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);

        Assert.Contains("Host=127.0.0.1", first, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable(PostgresServer.ConnectionVariable) is null)
        {
            Assert.NotEqual(first, second);
        }
    }
}
