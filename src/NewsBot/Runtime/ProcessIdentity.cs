using System.Reflection;

namespace NewsBot.Runtime;

/// <summary>
/// Who this running process is, as other processes of the same bot see it: the owner written on every lease it takes
/// (deliveries, sources, shards, roles) and the row it heartbeats in a cluster. A new id per start, so a restarted
/// process never mistakes its predecessor's leases for its own.
/// </summary>
public sealed class ProcessIdentity
{
    public ProcessIdentity(TimeProvider time)
    {
        Host = Environment.MachineName;
        Version = typeof(ProcessIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        StartedAt = time.GetUtcNow();
        Id = $"{Host}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>Host, process id and a random suffix: unique across restarts and across hosts.</summary>
    public string Id { get; }

    public string Host { get; }

    public string Version { get; }

    public DateTimeOffset StartedAt { get; }
}
