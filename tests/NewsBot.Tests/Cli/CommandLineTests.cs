using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NewsBot.Cli;
using NewsBot.Hosting;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Cli;

/// <summary>What <c>newsbot …</c> prints and exits with when something is wrong: one line, a documented code, nothing started.</summary>
public sealed class CommandLineTests(PostgresServer server)
{
    [Theory]
    [InlineData("sourcse", "Unknown command 'sourcse' — did you mean 'sources'?")]
    [InlineData("pasre", "Unknown command 'pasre' — did you mean 'parse'?")]
    [InlineData("--verbose", "Unknown option '--verbose'. newsbot --help lists the commands.")]
    [InlineData("verbose", "Unknown command 'verbose'. newsbot --help lists the commands.")]
    [InlineData("--hlep", "Unknown option '--hlep' — did you mean '--help'?")]
    public async Task Run_UnknownVerbOrOption_SaysSoAndExits2WithoutStarting(string argument, string expected)
    {
        using var folder = new TempFolder();

        var (exit, error) = await RunAsync(folder, [], argument);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(expected, error.TrimEnd());
        Assert.False(File.Exists(folder.File("newsbot.db")), "the bot must not have started");
    }

    [Theory]
    [InlineData("NewsBot:Feeds:PollInterval", "banana", "NewsBot:Feeds:PollInterval = \"banana\" is not a duration: hh:mm:ss or d.hh:mm:ss, e.g. 00:10:00.")]
    [InlineData("NewsBot:Console:Enabled", "maybe", "NewsBot:Console:Enabled must be auto, on or off. Given: \"maybe\".")]
    [InlineData("NewsBot:Feeds:AllowPrivateAddresses", "sometimes", "NewsBot:Feeds:AllowPrivateAddresses = \"sometimes\" is not true or false.")]
    [InlineData("NewsBot:Cluster:HeartbeatInterval", "00:00:00", "NewsBot:Cluster:HeartbeatInterval must be between 00:00:01 and 00:10:00. Given: \"00:00:00\".")]
    [InlineData("NewsBot:Cluster:DeadAfter", "00:00:15", "NewsBot:Cluster:DeadAfter (00:00:15) must be at least twice NewsBot:Cluster:HeartbeatInterval (00:00:10), so one late heartbeat does not make a live process look dead.")]
    public async Task Run_BadSetting_PrintsOneLineNamingIt(string key, string value, string expected)
    {
        using var folder = new TempFolder();

        var (exit, error) = await RunAsync(folder, new() { [key] = value });

        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.Equal("Configuration error: " + expected, error.TrimEnd());
    }

    /// <summary>Every setting of every options class that is not text: an unconvertible value is one line naming it.</summary>
    [Fact]
    public async Task Run_UnconvertibleValueInAnyOptionsClass_PrintsOneLineNamingSettingAndValue()
    {
        var settings = ConfigurationErrors.OptionsClasses
            .SelectMany(o => o.Type.GetProperties().Where(p => p.CanWrite && IsConverted(p.PropertyType)).Select(p => $"{o.Section}:{p.Name}"))
            .Distinct()
            .ToList();
        Assert.True(settings.Count >= 25, string.Join(", ", settings));

        foreach (var setting in settings)
        {
            using var folder = new TempFolder();
            var (exit, error) = await RunAsync(folder, new() { [setting] = "banana" });

            Assert.True(exit == ExitCodes.Configuration, $"{setting}: exit {exit}, {error}");
            Assert.Single(error.TrimEnd().Split('\n'));
            Assert.StartsWith($"Configuration error: {setting} = \"banana\" is not ", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_DatabaseFolderUnusable_PrintsOneLineNamingTheSettingAndPath()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("not-a-folder"), "", TestContext.Current.CancellationToken);
        var database = Path.Combine(folder.File("not-a-folder"), "newsbot.db");

        var (exit, error) = await RunAsync(folder, new() { ["NewsBot:Database"] = database });

        Assert.Equal(ExitCodes.Database, exit);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith($"Database error: NewsBot:Database = {database}: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DatabasePathIsAFolder_PrintsTheSqliteReason()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("db"));

        var (exit, error) = await RunAsync(folder, new() { ["NewsBot:Database"] = folder.File("db") });

        Assert.Equal(ExitCodes.Database, exit);
        Assert.Equal($"Database error: NewsBot:Database = {folder.File("db")}: cannot open or create the file (is the folder there and writable?).", error.TrimEnd());
    }

    [Fact]
    public async Task Run_UnknownDatabaseProvider_PrintsOneLineNamingTheSetting()
    {
        using var folder = new TempFolder();

        var (exit, error) = await RunAsync(folder, new() { ["NewsBot:Database:Provider"] = "mysql" });

        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.Equal("Configuration error: NewsBot:Database:Provider is 'mysql'; use sqlite (the default, one file at NewsBot:Database) or postgres.", error.TrimEnd());
    }

    [Fact]
    public async Task Run_ClusterModeOnSqlite_RefusesNamingTheSetting()
    {
        using var folder = new TempFolder();

        var (exit, error) = await RunAsync(folder, new() { ["NewsBot:Cluster:Enabled"] = "true" });

        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.Equal(
            "Configuration error: NewsBot:Cluster:Enabled is true, but several processes can share only a PostgreSQL database: " +
            "set NewsBot:Database:Provider = postgres (and NewsBot:Database:ConnectionString), or turn cluster mode off.",
            error.TrimEnd());
        Assert.False(File.Exists(folder.File("newsbot.db")), "the bot must not have started");
    }

    [Theory]
    [InlineData("Hots=db.example;Password=hunter2", "is not a valid PostgreSQL connection string")]
    [InlineData("Database=newsbot;Password=hunter2", "names no Host")]
    [InlineData("", "is empty")]
    public async Task Run_PostgresConnectionStringUnusable_PrintsOneLineWithoutThePassword(string connectionString, string expected)
    {
        using var folder = new TempFolder();

        var (exit, error) = await RunAsync(folder, new() { ["NewsBot:Database:Provider"] = "postgres", ["NewsBot:Database:ConnectionString"] = connectionString });

        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("Configuration error: NewsBot:Database:ConnectionString ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PostgresServerUnreachable_PrintsOneLineWithoutThePassword()
    {
        using var folder = new TempFolder();
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var (exit, error) = await RunAsync(folder, new()
        {
            ["NewsBot:Database:Provider"] = "postgres",
            ["NewsBot:Database:ConnectionString"] = $"Host=127.0.0.1;Port={port};Database=newsbot;Username=newsbot;Password=hunter2;Timeout=5",
        });

        Assert.Equal(ExitCodes.Database, exit);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith($"Database error: NewsBot:Database:ConnectionString = Host=127.0.0.1;Port={port};Database=newsbot;Username=newsbot;Timeout=5: cannot reach the server", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Database", "newsbot_missing", "the server has no such database (create it first, e.g. createdb newsbot)")]
    [InlineData("Username", "nobody_here", "the server refused the login (wrong user or password; the password may come from PGPASSWORD)")]
    public async Task Run_PostgresServerRefuses_PrintsOneLineNamingTheSettingWithoutThePassword(string key, string value, string reason)
    {
        using var folder = new TempFolder();
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync(TestContext.Current.CancellationToken)) { [key] = value, Password = "hunter2" };

        var (exit, error) = await RunAsync(folder, new()
        {
            ["NewsBot:Database:Provider"] = "postgres",
            ["NewsBot:Database:ConnectionString"] = connection.ConnectionString,
        });

        Assert.Equal(ExitCodes.Database, exit);
        Assert.Equal($"Database error: NewsBot:Database:ConnectionString = {new Npgsql.NpgsqlConnectionStringBuilder(connection.ConnectionString) { Password = null }}: {reason}.", error.TrimEnd());
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    private sealed class StopAtOnce(IHostApplicationLifetime lifetime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static bool IsConverted(Type type)
    {
        var inner = Nullable.GetUnderlyingType(type) ?? type;
        return inner.IsPrimitive || inner.IsEnum || inner == typeof(TimeSpan) || inner == typeof(decimal);
    }

    private static async Task<(int Exit, string Error)> RunAsync(TempFolder folder, Dictionary<string, string?> settings, params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await NewsBotCommandLine.RunAsync(args, output, error, b =>
        {
            b.Configuration.Sources.Clear();
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["NewsBot:Database"] = folder.File("newsbot.db"),
                ["NewsBot:Console:Enabled"] = "off",
                ["NewsBot:Feeds:Sources:0:Url"] = Path.Combine(RepositoryPaths.Samples, "feed.xml"),
            });
            b.Configuration.AddInMemoryCollection(settings);
            b.Logging.ClearProviders();
            // Should a bad setting go unnoticed, the bot stops at once instead of running the test forever.
            b.Services.AddHostedService<StopAtOnce>();
        }, folder.Path);
        return (exit, error.ToString());
    }
}
