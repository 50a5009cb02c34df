namespace NewsBot.Tests.TestSupport;

/// <summary>
/// The storage engines a contract test runs on: each test takes the engine's name as a theory argument and builds its
/// host with <see cref="SettingsAsync"/>, so the same assertions run once on SQLite and once on PostgreSQL.
/// </summary>
public static class StorageEngines
{
    public const string Sqlite = "sqlite";

    public const string Postgres = "postgres";

    public static TheoryData<string> All => [Sqlite, Postgres];

    /// <summary>The settings that select the engine: nothing for SQLite (the default), a fresh database of the test server for PostgreSQL.</summary>
    public static async Task<Dictionary<string, string?>> SettingsAsync(string engine, PostgresServer server, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(more ?? new Dictionary<string, string?>());
        if (engine == Postgres)
        {
            settings["NewsBot:Database:Provider"] = "postgres";
            settings["NewsBot:Database:ConnectionString"] = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        }

        return settings;
    }
}
