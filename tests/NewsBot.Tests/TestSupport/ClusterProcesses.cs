using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Cli;
using NewsBot.Runtime;
using NewsBot.Storage;
using NewsBot.Storage.Postgres;

namespace NewsBot.Tests.TestSupport;

/// <summary>
/// Several NewsBot processes (hosts, each with its own <see cref="ProcessIdentity"/>, folder and connection pool) on one
/// PostgreSQL database with cluster mode on, short leases and heartbeats. Two ways to run them:
/// <list type="bullet">
/// <item><see cref="CreateAsync"/> + <see cref="StartAsync"/>: started hosts on the real clock, so takeovers happen
/// within seconds (platform tests: shards, the Telegram receiver).</item>
/// <item><see cref="CreateInFakeTimeAsync"/> + <see cref="JoinAsync"/>: hosts on one <see cref="Clock"/>, never started:
/// each writes its first heartbeat, as at start-up, and runs (polls, beats) only when the test calls it, so one the
/// test leaves alone is a process killed without a clean stop.</item>
/// </list>
/// Membership is the real one (the processes table). A process can be crashed: it is cut off from the lease and process
/// tables (nothing renewed, released or removed, as when a process dies) and its host stops; the others see it dead
/// after <see cref="DeadAfter"/>.
/// </summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    public static readonly TimeSpan LeaseLength = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(4);

    private readonly List<Process> _processes = [];
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly FakeTimeProvider? _clock;
    private readonly TempFolder _commandLineFolder = new();
    private readonly List<IHost> _commandLines = [];

    private ClusterProcesses(IReadOnlyDictionary<string, string?> settings, FakeTimeProvider? clock)
    {
        _settings = settings;
        _clock = clock;
    }

    public IReadOnlyList<Process> Processes => _processes;

    /// <summary>The clock every process reads (<see cref="CreateInFakeTimeAsync"/> only).</summary>
    public FakeTimeProvider Clock => _clock ?? throw new InvalidOperationException("This cluster runs on the real clock; use CreateInFakeTimeAsync.");

    /// <param name="settings">Settings of every process (a process's own come with <see cref="StartAsync"/>).</param>
    public static async Task<ClusterProcesses> CreateAsync(PostgresServer server, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(await SettingsAsync(server, settings), null);

    /// <param name="settings">Settings of every process, e.g. NewsBot:Cluster:Enabled = false for the same database without cluster mode.</param>
    public static async Task<ClusterProcesses> CreateInFakeTimeAsync(PostgresServer server, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(await SettingsAsync(server, settings), new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 7, 0, 0, TimeSpan.Zero)));

    /// <summary>Builds <paramref name="count"/> processes with <paramref name="settings"/> and starts them together.</summary>
    public async Task<IReadOnlyList<Process>> StartAsync(int count, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var started = Enumerable.Range(0, count).Select(_ => Build(settings, [])).ToList();
        // The migrator runs under an advisory lock, so starting them at once is what a real rollout does.
        await Task.WhenAll(started.Select(p => p.StartAsync()));
        return started;
    }

    /// <summary>
    /// A process that joined the cluster but runs nothing on its own: built, database migrated, first heartbeat written.
    /// <paramref name="holdings"/> are what it holds besides its own services, as it would tell /status.
    /// </summary>
    public async Task<Process> JoinAsync(params IClusterHoldings[] holdings)
    {
        var process = Build(null, holdings);
        await process.Get<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        await process.Heartbeat.BeatAsync(TestContext.Current.CancellationToken);
        return process;
    }

    /// <summary>The command line run against the same database (<c>newsbot status</c>…): a host with the verbs, never started, never beating.</summary>
    public IHost CommandLine()
    {
        var host = TestHosts.Build(_commandLineFolder, _settings, configure: b =>
        {
            UseClock(b.Services);
            b.Services.AddCli();
        });
        _commandLines.Add(host);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.StopAsync();
            process.Folder.Dispose();
        }

        foreach (var host in _commandLines)
        {
            host.Dispose();
        }

        _commandLineFolder.Dispose();
    }

    private static async Task<IReadOnlyDictionary<string, string?>> SettingsAsync(PostgresServer server, IReadOnlyDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["NewsBot:Cluster:Enabled"] = "true",
            ["NewsBot:Cluster:LeaseLength"] = LeaseLength.ToString("c", CultureInfo.InvariantCulture),
            ["NewsBot:Cluster:HeartbeatInterval"] = HeartbeatInterval.ToString("c", CultureInfo.InvariantCulture),
            ["NewsBot:Cluster:DeadAfter"] = DeadAfter.ToString("c", CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return await StorageEngines.SettingsAsync(StorageEngines.Postgres, server, all);
    }

    private Process Build(IReadOnlyDictionary<string, string?>? settings, IClusterHoldings[] holdings)
    {
        var all = new Dictionary<string, string?>(_settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var folder = new TempFolder();
        var cutOff = new DatabaseCutOff();
        var host = TestHosts.Build(folder, all, configure: b =>
        {
            UseClock(b.Services);
            b.Services.AddSingleton<ILeaseStore>(sp => cutOff.Wrap(new PostgresLeaseStore(sp.GetRequiredService<PgConnections>())));
            b.Services.AddSingleton<IProcessStore>(sp => cutOff.Wrap(new PostgresProcessStore(sp.GetRequiredService<PgConnections>())));
            foreach (var holding in holdings)
            {
                b.Services.AddSingleton(holding);
            }
        });
        var process = new Process(host, folder, cutOff);
        _processes.Add(process);
        return process;
    }

    private void UseClock(IServiceCollection services)
    {
        if (_clock is not null)
        {
            services.AddSingleton<TimeProvider>(_clock);
        }
    }

    public sealed class Process(IHost host, TempFolder folder, DatabaseCutOff cutOff)
    {
        private bool _started;
        private bool _stopped;

        public IHost Host { get; } = host;

        public TempFolder Folder { get; } = folder;

        public DatabaseCutOff CutOff { get; } = cutOff;

        /// <summary>Kept past a crash: tests look for the dead process's leases by it.</summary>
        public ProcessIdentity Identity { get; } = host.Services.GetRequiredService<ProcessIdentity>();

        /// <summary>Its heartbeat; a joined (not started) process beats only when the test calls <see cref="ClusterHeartbeatService.BeatAsync"/>.</summary>
        public ClusterHeartbeatService Heartbeat => Host.Services.GetServices<IHostedService>().OfType<ClusterHeartbeatService>().Single();

        public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

        public bool IsStopped => _stopped;

        public async Task StartAsync()
        {
            _started = true;
            await Host.StartAsync(TestContext.Current.CancellationToken);
        }

        /// <summary>
        /// The process dies as far as the others can tell: it stops renewing and releasing (its leases run out on their
        /// own) and heartbeating (its row lapses after <see cref="DeadAfter"/>), and its host stops, closing its Gateway
        /// and Bot API connections.
        /// </summary>
        public async Task CrashAsync()
        {
            CutOff.Cut();
            await StopAsync();
        }

        /// <summary>A clean stop (unless cut off first): leases released, the process's row removed.</summary>
        public async Task StopAsync()
        {
            if (!_stopped)
            {
                _stopped = true;
                if (_started)
                {
                    await Host.StopAsync(CancellationToken.None);
                }

                Host.Dispose();
            }
        }
    }
}

/// <summary>Makes the lease and process stores it wraps fail every call, as for a process that died or lost the database.</summary>
public sealed class DatabaseCutOff
{
    private volatile bool _cut;

    public void Cut() => _cut = true;

    public ILeaseStore Wrap(ILeaseStore inner) => new Leases(this, inner);

    public IProcessStore Wrap(IProcessStore inner) => new ProcessRows(this, inner);

    private T Pass<T>(Func<T> call) => _cut ? throw new IOException("cut off from the database (test)") : call();

    private sealed class Leases(DatabaseCutOff cutOff, ILeaseStore inner) : ILeaseStore
    {
        public Task<Lease> TakeAsync(string name, string leaseOwner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken) =>
            cutOff.Pass(() => inner.TakeAsync(name, leaseOwner, now, until, cancellationToken));

        public Task<IReadOnlySet<string>> RenewAsync(IReadOnlyCollection<string> names, string leaseOwner, DateTimeOffset until, CancellationToken cancellationToken) =>
            cutOff.Pass(() => inner.RenewAsync(names, leaseOwner, until, cancellationToken));

        public Task ReleaseAsync(IReadOnlyCollection<string> names, string leaseOwner, CancellationToken cancellationToken) =>
            cutOff.Pass(() => inner.ReleaseAsync(names, leaseOwner, cancellationToken));

        public Task<IReadOnlyList<Lease>> ListAsync(string prefix, CancellationToken cancellationToken) =>
            cutOff.Pass(() => inner.ListAsync(prefix, cancellationToken));
    }

    private sealed class ProcessRows(DatabaseCutOff cutOff, IProcessStore inner) : IProcessStore
    {
        public Task BeatAsync(ClusterMember member, DateTimeOffset forgetBefore, CancellationToken cancellationToken) =>
            cutOff.Pass(() => inner.BeatAsync(member, forgetBefore, cancellationToken));

        public Task RemoveAsync(string id, CancellationToken cancellationToken) => cutOff.Pass(() => inner.RemoveAsync(id, cancellationToken));

        public Task<IReadOnlyList<ClusterMember>> ListAliveAsync(DateTimeOffset aliveSince, CancellationToken cancellationToken) =>
            cutOff.Pass(() => inner.ListAliveAsync(aliveSince, cancellationToken));
    }
}
