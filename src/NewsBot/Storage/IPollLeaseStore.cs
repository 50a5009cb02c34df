using NewsBot.Model;

namespace NewsBot.Storage;

/// <summary>
/// Which process polls a host's due sources now, so that with several processes every due source is polled by exactly
/// one of them and no host is fetched by two at once. A lease belongs to a process (ProcessIdentity.Id) and lasts
/// until it is released or its owner's heartbeat lapses.
/// </summary>
public interface IPollLeaseStore
{
    /// <summary>
    /// Takes the lease on <paramref name="host"/> for <paramref name="owner"/> unless another process that beat at or
    /// after <paramref name="ownerAliveSince"/> holds it, and returns those of <paramref name="due"/> that are still due
    /// at <paramref name="now"/> (another process may have polled them since they were listed; then the list is empty
    /// but the lease is taken all the same). Null when the host is someone else's; otherwise the caller releases the
    /// lease after polling what it got.
    /// </summary>
    Task<IReadOnlyList<Source>?> ClaimHostAsync(string host, IReadOnlyList<Source> due, string owner, DateTimeOffset now, DateTimeOffset ownerAliveSince, CancellationToken cancellationToken);

    Task ReleaseHostAsync(string host, string owner, CancellationToken cancellationToken);
}

/// <summary>A process on its own (cluster mode off, or SQLite) polls every due source: nothing to share, nothing to store.</summary>
public sealed class SoleProcessPollLeases : IPollLeaseStore
{
    public Task<IReadOnlyList<Source>?> ClaimHostAsync(string host, IReadOnlyList<Source> due, string owner, DateTimeOffset now, DateTimeOffset ownerAliveSince, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Source>?>(due);

    public Task ReleaseHostAsync(string host, string owner, CancellationToken cancellationToken) => Task.CompletedTask;
}
