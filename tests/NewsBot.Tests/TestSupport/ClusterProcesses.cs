using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Runtime;
using NewsBot.Storage;
using NewsBot.Storage.Postgres;

namespace NewsBot.Tests.TestSupport;

/// <summary>
/// Several NewsBot "processes" (hosts, each with its own <see cref="ProcessIdentity"/> and connection pool) on one
/// PostgreSQL database with cluster mode on and short leases. The test decides who is alive
/// (<see cref="TestMembership"/>), and can crash a process: its lease store stops answering (so nothing is renewed or
/// released, as when a process dies) and the host stops, closing its connections to the platforms.
/// </summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    public static readonly TimeSpan LeaseLength = TimeSpan.FromSeconds(2);

    private readonly List<Process> _processes = [];

    private ClusterProcesses(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public TestMembership Membership { get; } = new();

    public IReadOnlyList<Process> Processes => _processes;

    public static async Task<ClusterProcesses> CreateAsync(PostgresServer server) =>
        new(await server.CreateDatabaseAsync(TestContext.Current.CancellationToken));

    /// <summary>Builds <paramref name="count"/> processes with <paramref name="settings"/>, lists them all as live, then starts them together.</summary>
    public async Task<IReadOnlyList<Process>> StartAsync(int count, IReadOnlyDictionary<string, string?> settings)
    {
        var started = new List<Process>();
        for (var i = 0; i < count; i++)
        {
            var all = new Dictionary<string, string?>(settings)
            {
                ["NewsBot:Database:Provider"] = "postgres",
                ["NewsBot:Database:ConnectionString"] = ConnectionString,
                ["NewsBot:Cluster:Enabled"] = "true",
                ["NewsBot:Cluster:LeaseLength"] = LeaseLength.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            };
            var folder = new TempFolder();
            var freezable = new FreezableLeaseStore();
            var host = TestHosts.Build(folder, all, configure: b =>
            {

                b.Services.AddSingleton<IClusterMembership>(Membership);
                b.Services.AddSingleton<ILeaseStore>(sp => freezable.Wrap(new PostgresLeaseStore(sp.GetRequiredService<PgConnections>())));
            });
            var process = new Process(host, folder, freezable);
            Membership.Join(process.Identity);
            _processes.Add(process);
            started.Add(process);
        }

        // The migrator runs under an advisory lock, so starting them at once is what a real rollout does.
        await Task.WhenAll(started.Select(p => p.Host.StartAsync(TestContext.Current.CancellationToken)));
        return started;
    }

    /// <summary>
    /// The process dies as far as the others can tell: it stops renewing and releasing (its leases run out on their
    /// own), leaves the membership, and its host stops, closing its Gateway and Bot API connections.
    /// </summary>
    public async Task CrashAsync(Process process)
    {
        process.Leases.Freeze();
        Membership.Leave(process.Identity);
        await process.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.StopAsync();
            process.Folder.Dispose();
        }
    }

    public sealed class Process(IHost host, TempFolder folder, FreezableLeaseStore leases)
    {
        private bool _stopped;

        public IHost Host { get; } = host;

        public TempFolder Folder { get; } = folder;

        public FreezableLeaseStore Leases { get; } = leases;

        /// <summary>Kept past a crash: tests look for the dead process's leases by it.</summary>
        public ProcessIdentity Identity { get; } = host.Services.GetRequiredService<ProcessIdentity>();

        public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

        public bool IsStopped => _stopped;

        public async Task StopAsync()
        {
            if (!_stopped)
            {
                _stopped = true;
                await Host.StopAsync(CancellationToken.None);
                Host.Dispose();
            }
        }
    }
}

/// <summary>The live processes, as the test says (the membership heartbeats are another area's and tested there).</summary>
public sealed class TestMembership : IClusterMembership
{
    private readonly Lock _lock = new();
    private readonly List<ProcessIdentity> _live = [];

    public void Join(ProcessIdentity process)
    {
        lock (_lock)
        {
            _live.Add(process);
        }
    }

    public void Leave(ProcessIdentity process)
    {
        lock (_lock)
        {
            _live.Remove(process);
        }
    }

    public Task<IReadOnlyList<ClusterMember>> ListLiveAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ClusterMember>>(
                [.. _live.Select(p => new ClusterMember(p.Id, p.Host, p.Version, p.StartedAt, p.StartedAt, []))]);
        }
    }
}

/// <summary>A lease store that can be made to fail every call, as for a process that died or lost the database.</summary>
public sealed class FreezableLeaseStore
{
    private volatile bool _frozen;

    public void Freeze() => _frozen = true;

    public ILeaseStore Wrap(ILeaseStore inner) => new Wrapped(this, inner);

    private sealed class Wrapped(FreezableLeaseStore owner, ILeaseStore inner) : ILeaseStore
    {
        public Task<Lease> TakeAsync(string name, string leaseOwner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
        {
            ThrowIfFrozen();
            return inner.TakeAsync(name, leaseOwner, now, until, cancellationToken);
        }

        public Task<IReadOnlySet<string>> RenewAsync(IReadOnlyCollection<string> names, string leaseOwner, DateTimeOffset until, CancellationToken cancellationToken)
        {
            ThrowIfFrozen();
            return inner.RenewAsync(names, leaseOwner, until, cancellationToken);
        }

        public Task ReleaseAsync(IReadOnlyCollection<string> names, string leaseOwner, CancellationToken cancellationToken)
        {
            ThrowIfFrozen();
            return inner.ReleaseAsync(names, leaseOwner, cancellationToken);
        }

        public Task<IReadOnlyList<Lease>> ListAsync(string prefix, CancellationToken cancellationToken)
        {
            ThrowIfFrozen();
            return inner.ListAsync(prefix, cancellationToken);
        }

        private void ThrowIfFrozen()
        {
            if (owner._frozen)
            {
                throw new IOException("the lease store is cut off (test)");
            }
        }
    }
}
