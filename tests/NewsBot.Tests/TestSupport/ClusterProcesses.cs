using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Cli;
using NewsBot.Runtime;
using NewsBot.Storage;

namespace NewsBot.Tests.TestSupport;

/// <summary>
/// Several processes of one bot in cluster mode over one PostgreSQL database, each a host of its own (its own
/// ProcessIdentity), sharing a fake clock. Processes are not started: each writes its first heartbeat, as at start-up,
/// and beats again only when the test says so, so one the test leaves alone is a process killed without a clean stop.
/// </summary>
public sealed class ClusterProcesses : IDisposable
{
    public static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(30);

    private readonly TempFolder _folder = new();
    private readonly List<IHost> _hosts = [];
    private readonly Dictionary<string, string?> _settings;

    private ClusterProcesses(Dictionary<string, string?> settings) => _settings = settings;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 7, 7, 0, 0, TimeSpan.Zero));

    /// <param name="more">Further settings, e.g. NewsBot:Cluster:Enabled = false for the same database without cluster mode.</param>
    public static async Task<ClusterProcesses> CreateAsync(PostgresServer server, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["NewsBot:Cluster:Enabled"] = "true",
            ["NewsBot:Cluster:HeartbeatInterval"] = "00:00:10",
            ["NewsBot:Cluster:DeadAfter"] = DeadAfter.ToString("c"),
            ["NewsBot:Feeds:AllowPrivateAddresses"] = "true",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new ClusterProcesses(await StorageEngines.SettingsAsync(StorageEngines.Postgres, server, settings));
    }

    /// <summary>A new process: built, database migrated, first heartbeat written.</summary>
    public async Task<IHost> StartProcessAsync(params IClusterHoldings[] holdings)
    {
        var host = TestHosts.Build(_folder, _settings, configure: b =>
        {
            b.Services.AddSingleton<TimeProvider>(Clock);
            foreach (var holding in holdings)
            {
                b.Services.AddSingleton(holding);
            }
        });
        _hosts.Add(host);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        await Heartbeat(host).BeatAsync(TestContext.Current.CancellationToken);
        return host;
    }

    /// <summary>The command line run against the same database (<c>newsbot status</c>…): a host with the verbs, never started, never beating.</summary>
    public IHost CommandLine()
    {
        var host = TestHosts.Build(_folder, _settings, configure: b =>
        {
            b.Services.AddSingleton<TimeProvider>(Clock);
            b.Services.AddCli();
        });
        _hosts.Add(host);
        return host;
    }

    public static ClusterHeartbeatService Heartbeat(IHost host) => host.Services.GetServices<IHostedService>().OfType<ClusterHeartbeatService>().Single();

    public static ProcessIdentity Identity(IHost host) => host.Services.GetRequiredService<ProcessIdentity>();

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        _folder.Dispose();
    }
}
