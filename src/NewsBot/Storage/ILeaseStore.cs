namespace NewsBot.Storage;

/// <summary>A named lease: <paramref name="Owner"/> (a <c>ProcessIdentity.Id</c>) holds <paramref name="Name"/> until <paramref name="Until"/>.</summary>
public sealed record Lease(string Name, string Owner, DateTimeOffset Until);

/// <summary>
/// Named leases shared by every process of a cluster (PostgreSQL only): a role such as the Telegram receiver, a Discord
/// shard, an identify bucket. One row per name, so a name has one holder at a time; a lease whose time has passed may
/// be taken by anyone. The holder renews well within the length, and stops the work before its own lease runs out.
/// </summary>
public interface ILeaseStore
{
    /// <summary>
    /// Takes <paramref name="name"/> for <paramref name="owner"/> until <paramref name="until"/> when nobody holds it,
    /// its lease ended before <paramref name="now"/>, or <paramref name="owner"/> already holds it (then it is renewed,
    /// or shortened). Returns the holder afterwards: <paramref name="owner"/> when taken.
    /// </summary>
    Task<Lease> TakeAsync(string name, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Extends the leases of <paramref name="names"/> that <paramref name="owner"/> still holds; returns those names.</summary>
    Task<IReadOnlySet<string>> RenewAsync(IReadOnlyCollection<string> names, string owner, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Gives up the leases of <paramref name="names"/> that <paramref name="owner"/> holds, so others may take them at once.</summary>
    Task ReleaseAsync(IReadOnlyCollection<string> names, string owner, CancellationToken cancellationToken);

    /// <summary>Every lease whose name starts with <paramref name="prefix"/>, ended or not.</summary>
    Task<IReadOnlyList<Lease>> ListAsync(string prefix, CancellationToken cancellationToken);
}
