namespace NewsBot.Storage;

/// <summary>The outcome of <see cref="IQuotaStore.TakeAsync"/>: whether one unit was taken, and when the period of the count ends.</summary>
public sealed record QuotaTake(bool Taken, DateTimeOffset ResetAt);

/// <summary>
/// A platform allowance counted by every process of a cluster together (PostgreSQL only), such as Discord's daily
/// session starts: a count for the current period, refilled from the platform's own figure when the period ends.
/// </summary>
public interface IQuotaStore
{
    /// <summary>
    /// Takes one unit of <paramref name="name"/>. <paramref name="platformRemaining"/> and <paramref name="platformResetAt"/>
    /// are the platform's latest figures: they start the count, replace it once its period ended, and lower it when the
    /// platform counts fewer (never raise it within a period, so the processes together never exceed it).
    /// </summary>
    Task<QuotaTake> TakeAsync(string name, int platformRemaining, DateTimeOffset platformResetAt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Returns a unit taken in the period ending at <paramref name="resetAt"/> but not used.</summary>
    Task GiveBackAsync(string name, DateTimeOffset resetAt, CancellationToken cancellationToken);
}
