using System.Globalization;
using NewsBot.Fakes.Postgres;

namespace NewsBot.Benchmarks.Cluster;

/// <summary>
/// A PostgreSQL server for one proof run, started as the tests' fixture starts one (<see cref="PostgresBinaries"/>: in a
/// temp folder, on a free loopback port); stopped and deleted on dispose. NEWSBOT_PROOF_POSTGRES, when set, names a
/// server to use instead (a connection string to an empty database).
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    public const string ConnectionVariable = "NEWSBOT_PROOF_POSTGRES";

    private readonly string? _folder;
    private readonly string? _bin;

    private ThrowawayPostgres(string connectionString, string? folder, string? bin)
    {
        ConnectionString = connectionString;
        _folder = folder;
        _bin = bin;
    }

    public string ConnectionString { get; }

    public static async Task<ThrowawayPostgres> StartAsync(int maxConnections, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } given)
        {
            return new ThrowawayPostgres(given, null, null);
        }

        var bin = PostgresBinaries.Find() ?? throw new InvalidOperationException(
            $"PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb) and {ConnectionVariable} is not set; {PostgresBinaries.InstallHint}");
        var folder = Directory.CreateTempSubdirectory("newsbot-cluster-pg-").FullName;
        var port = PostgresBinaries.FreePort();
        await PostgresBinaries.InitAsync(bin, folder, cancellationToken);
        await PostgresBinaries.StartAsync(bin, folder, port, string.Create(CultureInfo.InvariantCulture, $"-c max_connections={maxConnections}"), cancellationToken);
        await PostgresBinaries.CreateDatabaseAsync(bin, port, "newsbot_cluster", cancellationToken);
        return new ThrowawayPostgres(string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={port};Username=newsbot;Database=newsbot_cluster;Pooling=true"), folder, bin);
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is null || _bin is null)
        {
            return;
        }

        try
        {
            await PostgresBinaries.StopAsync(_bin, _folder, "immediate", CancellationToken.None);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
