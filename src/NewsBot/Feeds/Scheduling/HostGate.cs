namespace NewsBot.Feeds.Scheduling;

/// <summary>
/// At most one request at a time per host, however many sources share it. Entries exist only while someone
/// holds or waits for a host, so the map does not grow with every host ever polled.
/// </summary>
public sealed class HostGate
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Hosts currently held or waited for.</summary>
    public int ActiveHosts
    {
        get
        {
            lock (entries)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>
    /// The gate key of a fetch location: the host of an http(s) URL; null for a local file, which no server has
    /// to be polite to (reading 30 files one after the other made the first pass take minutes).
    /// </summary>
    public static string? KeyOf(string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri) && !uri.IsFile ? uri.IdnHost : null;

    /// <summary>Waits until the location's host is free (at once for a local file); dispose the lease to free it.</summary>
    public Task<IDisposable> EnterLocationAsync(string location, CancellationToken cancellationToken) =>
        KeyOf(location) is { } host ? EnterAsync(host, cancellationToken) : Task.FromResult<IDisposable>(NoLease.Instance);

    /// <summary>Waits until <paramref name="host"/> is free; dispose the lease to free it.</summary>
    public async Task<IDisposable> EnterAsync(string host, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (entries)
        {
            if (!entries.TryGetValue(host, out entry!))
            {
                entry = new Entry();
                entries.Add(host, entry);
            }

            entry.Users++;
        }

        try
        {
            await entry.Turn.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Leave(host, entry);
            throw;
        }

        return new Lease(this, host, entry);
    }

    private void Leave(string host, Entry entry)
    {
        lock (entries)
        {
            if (--entry.Users == 0)
            {
                entries.Remove(host);
            }
        }
    }

    private sealed class Entry
    {
        // No wait handle is ever requested, so the semaphore holds nothing that needs disposing.
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();

        public void Dispose()
        {
        }
    }

    private sealed class Lease(HostGate gate, string host, Entry entry) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                entry.Turn.Release();
                gate.Leave(host, entry);
            }
        }
    }
}
