using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NewsBot.Benchmarks.Cluster;

/// <summary>
/// A PostgreSQL server for one proof run, the way the tests' fixture (tests/NewsBot.Tests/TestSupport/PostgresServer.cs)
/// starts one: initdb and pg_ctl from /usr/lib/postgresql/&lt;version&gt;/bin in a temp folder, on a free loopback port,
/// as the postgres user when we are root; stopped and deleted on dispose. NEWSBOT_PROOF_POSTGRES, when set, names a
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

        var bin = FindBinaries() ?? throw new InvalidOperationException(
            $"PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb) and {ConnectionVariable} is not set; install it with: apt-get install -y postgresql");
        var folder = Directory.CreateTempSubdirectory("newsbot-cluster-pg-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            // The server runs as the postgres user when we are root: it must be able to write here.
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        }
        var port = FreePort();
        var data = Path.Combine(folder, "data");
        await RunAsync(bin, "initdb", ["-D", data, "-U", "newsbot", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], cancellationToken);
        await RunAsync(bin, "pg_ctl",
            ["-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-o",
             string.Create(CultureInfo.InvariantCulture, $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{folder}' -c max_connections={maxConnections} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"),
             "start"],
            cancellationToken);
        var server = new ThrowawayPostgres(string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={port};Username=newsbot;Database=newsbot_cluster;Pooling=true"), folder, bin);
        await RunAsync(bin, "createdb", ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "newsbot", "newsbot_cluster"], cancellationToken);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is null || _bin is null)
        {
            return;
        }

        try
        {
            await RunAsync(_bin, "pg_ctl", ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"], CancellationToken.None);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(folder => Path.Combine(folder, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var version) ? version : 0)
                .FirstOrDefault()
            : null;

    /// <summary>Runs one of the server's programs, as the postgres user when we are root (the server refuses to run as root).</summary>
    private static async Task RunAsync(string bin, string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(bin, program);
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (asRoot ? ["-u", "postgres", "--", path] : Array.Empty<string>()).Concat(arguments))
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
