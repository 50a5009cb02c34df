using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NewsBot.Fakes.Postgres;

/// <summary>
/// The installed PostgreSQL server's programs, for throwaway servers (the tests' fixture, the cluster proof): initdb and
/// pg_ctl from /usr/lib/postgresql/&lt;version&gt;/bin on a free loopback port in a folder of the caller's, run as the
/// unprivileged postgres user when we are root (the server refuses to run as root). Settings favour speed over
/// durability (no fsync): the data is thrown away.
/// </summary>
public static class PostgresBinaries
{
    public const string InstallHint = "install it with: apt-get install -y postgresql";

    /// <summary>The folder of the newest installed server version's binaries, or null when PostgreSQL is not installed.</summary>
    public static string? Find() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(folder => Path.Combine(folder, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var version) ? version : 0)
                .FirstOrDefault()
            : null;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A new cluster in <paramref name="folder"/>/data with the superuser newsbot, trusted on loopback.</summary>
    public static Task InitAsync(string bin, string folder, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            // The server runs as the postgres user when we are root: it must be able to write here.
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        }

        return RunAsync(bin, "initdb", ["-D", Path.Combine(folder, "data"), "-U", "newsbot", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], cancellationToken);
    }

    /// <summary>Starts the server of <paramref name="folder"/> on <paramref name="port"/>; <paramref name="settings"/>: more <c>-c name=value</c> options.</summary>
    public static Task StartAsync(string bin, string folder, int port, string settings, CancellationToken cancellationToken) =>
        RunAsync(bin, "pg_ctl",
            ["-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "server.log"), "-w", "-o",
             string.Create(CultureInfo.InvariantCulture, $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{folder}' -c fsync=off -c synchronous_commit=off -c full_page_writes=off {settings}"),
             "start"],
            cancellationToken);

    /// <summary>Stops the server of <paramref name="folder"/>: <c>fast</c> ends sessions as an operator's restart does, <c>immediate</c> as a crash.</summary>
    public static Task StopAsync(string bin, string folder, string mode, CancellationToken cancellationToken) =>
        RunAsync(bin, "pg_ctl", ["-D", Path.Combine(folder, "data"), "-m", mode, "-w", "stop"], cancellationToken);

    public static Task CreateDatabaseAsync(string bin, int port, string name, CancellationToken cancellationToken) =>
        RunAsync(bin, "createdb", ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "newsbot", name], cancellationToken);

    /// <summary>Runs one of the server's programs, as the postgres user when we are root.</summary>
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
}
