using NewsBot.Fakes.Postgres;

[assembly: AssemblyFixture(typeof(NewsBot.Tests.TestSupport.PostgresServer))]

namespace NewsBot.Tests.TestSupport;

/// <summary>
/// A throwaway PostgreSQL server for the PostgreSQL engine's tests, started on first use from the installed binaries
/// (<see cref="PostgresBinaries"/>: in a temp folder, on a free loopback port) and stopped when the tests end. NEWSBOT_TEST_POSTGRES, when
/// set, names a server to use instead (a connection string to an empty database that the tests may fill).
/// Without either, a test that asks for a database is skipped, except under CI=true, where it fails: CI installs
/// PostgreSQL (.ci/run) so both engines always run there.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string ConnectionVariable = "NEWSBOT_TEST_POSTGRES";

    private readonly SemaphoreSlim _startLock = new(1, 1);
    private TempFolder? _folder;
    private string? _bin;
    private int _port;
    private int _databases;

    /// <summary>A connection string to a database of its own for one test (or the given server's, when configured).</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } given)
        {
            return given;
        }

        await StartAsync(cancellationToken);
        var name = $"newsbot_test_{Interlocked.Increment(ref _databases)}";
        await PostgresBinaries.CreateDatabaseAsync(_bin!, _port, name, cancellationToken);
        return $"Host=127.0.0.1;Port={_port.ToString(System.Globalization.CultureInfo.InvariantCulture)};Username=newsbot;Database={name};Pooling=true";
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            try
            {
                await PostgresBinaries.StopAsync(_bin!, _folder.Path, "immediate", CancellationToken.None);
            }
            finally
            {
                _folder.Dispose();
            }
        }

        _startLock.Dispose();
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await _startLock.WaitAsync(cancellationToken);
        try
        {
            if (_folder is not null)
            {
                return;
            }

            _bin = PostgresBinaries.Find();
            if (_bin is null)
            {
                const string missing = $"PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb) and {ConnectionVariable} is not set; {PostgresBinaries.InstallHint}";
                if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(missing);
                }

                Assert.Skip(missing);
            }

            var folder = new TempFolder();
            _port = PostgresBinaries.FreePort();
            await PostgresBinaries.InitAsync(_bin, folder.Path, cancellationToken);
            await PostgresBinaries.StartAsync(_bin, folder.Path, _port, "", cancellationToken);
            _folder = folder;
        }
        finally
        {
            _startLock.Release();
        }
    }

    /// <summary>
    /// Stops the server as an operator's restart does (fast shutdown: sessions are ended, their connections break), keeps
    /// it down for <paramref name="downtime"/>, then starts it again on the same port. Only for a server this fixture
    /// started: a test that restarts one takes its own instance, not the shared assembly fixture.
    /// </summary>
    public async Task RestartAsync(TimeSpan downtime, CancellationToken cancellationToken)
    {
        await StopAsync(cancellationToken);
        await Task.Delay(downtime, cancellationToken);
        await StartAgainAsync(cancellationToken);
    }

    /// <summary>The first half of <see cref="RestartAsync"/>: the server is down when this returns.</summary>
    public async Task StopAsync(CancellationToken cancellationToken) =>
        await PostgresBinaries.StopAsync(_bin!, StartedFolder.Path, "fast", cancellationToken);

    /// <summary>The second half of <see cref="RestartAsync"/>: the server accepts connections again on its port.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken) =>
        await PostgresBinaries.StartAsync(_bin!, StartedFolder.Path, _port, "", cancellationToken);

    private TempFolder StartedFolder =>
        _folder ?? throw new InvalidOperationException("The server was not started by this fixture (none yet, or NEWSBOT_TEST_POSTGRES names one).");

    /// <summary>Whether <see cref="RestartAsync"/> can work: no server named by NEWSBOT_TEST_POSTGRES is in use.</summary>
    public static bool CanRestart => Environment.GetEnvironmentVariable(ConnectionVariable) is not { Length: > 0 };
}
