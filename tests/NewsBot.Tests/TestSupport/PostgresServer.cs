using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

[assembly: AssemblyFixture(typeof(NewsBot.Tests.TestSupport.PostgresServer))]

namespace NewsBot.Tests.TestSupport;

/// <summary>
/// A throwaway PostgreSQL server for the PostgreSQL engine's tests, started on first use from the installed binaries
/// (/usr/lib/postgresql/&lt;version&gt;/bin: initdb and pg_ctl in a temp folder, on a free loopback port, as the
/// unprivileged postgres user when the tests run as root) and stopped when the tests end. NEWSBOT_TEST_POSTGRES, when
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
        await RunAsync("createdb", ["-h", "127.0.0.1", "-p", Port, "-U", "newsbot", name], cancellationToken);
        return $"Host=127.0.0.1;Port={Port};Username=newsbot;Database={name};Pooling=true";
    }

    /// <summary>The folder of the newest installed server version's binaries, or null when PostgreSQL is not installed.</summary>
    public static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(folder => Path.Combine(folder, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var version) ? version : 0)
                .FirstOrDefault()
            : null;

    public async ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            try
            {
                await RunAsync("pg_ctl", ["-D", _folder.File("data"), "-m", "immediate", "-w", "stop"], CancellationToken.None);
            }
            finally
            {
                _folder.Dispose();
            }
        }

        _startLock.Dispose();
    }

    private string Port => _port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await _startLock.WaitAsync(cancellationToken);
        try
        {
            if (_folder is not null)
            {
                return;
            }

            _bin = FindBinaries();
            if (_bin is null)
            {
                const string missing = $"PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb) and {ConnectionVariable} is not set; install it with: apt-get install -y postgresql";
                if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(missing);
                }

                Assert.Skip(missing);
            }

            var folder = new TempFolder();
            if (!OperatingSystem.IsWindows())
            {
                // The server runs as the postgres user when we are root: it must be able to write here.
                File.SetUnixFileMode(folder.Path, (UnixFileMode)0b111_111_111);
            }
            _port = FreePort();
            await RunAsync("initdb", ["-D", folder.File("data"), "-U", "newsbot", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], cancellationToken);
            await RunServerAsync(folder, cancellationToken);
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
        var folder = _folder ?? throw new InvalidOperationException("The server was not started by this fixture (none yet, or NEWSBOT_TEST_POSTGRES names one).");
        await RunAsync("pg_ctl", ["-D", folder.File("data"), "-m", "fast", "-w", "stop"], cancellationToken);
        await Task.Delay(downtime, cancellationToken);
        await RunServerAsync(folder, cancellationToken);
    }

    /// <summary>Whether <see cref="RestartAsync"/> can work: no server named by NEWSBOT_TEST_POSTGRES is in use.</summary>
    public static bool CanRestart => Environment.GetEnvironmentVariable(ConnectionVariable) is not { Length: > 0 };

    private Task RunServerAsync(TempFolder folder, CancellationToken cancellationToken) =>
        RunAsync("pg_ctl",
            ["-D", folder.File("data"), "-l", folder.File("server.log"), "-w", "-o",
             $"-p {_port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{folder.Path}' -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start"],
            cancellationToken);

    /// <summary>Runs one of the server's programs, as the postgres user when we are root (the server refuses to run as root).</summary>
    private async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_bin ?? FindBinaries()!, program);
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : path) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asRoot)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", path })
            {
                start.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
