namespace NewsBot.Platforms;

/// <summary>
/// Which process does a job that only one process of a bot may do at a time, such as receiving Telegram updates
/// (a second getUpdates poller makes Telegram answer 409 Conflict). One process alone always leads
/// (<see cref="SoleProcessLeadership"/>); a cluster elects one process per role and takes the role away from a
/// process that loses its lease.
/// </summary>
public interface ILeadership
{
    /// <summary>
    /// Waits until this process leads <paramref name="role"/>; the token returned is cancelled when it stops leading,
    /// and the caller must then stop the job at once and wait here again.
    /// </summary>
    Task<CancellationToken> WaitToLeadAsync(string role, CancellationToken cancellationToken);
}

/// <summary>A process on its own leads every role, for as long as it runs.</summary>
public sealed class SoleProcessLeadership : ILeadership
{
    public Task<CancellationToken> WaitToLeadAsync(string role, CancellationToken cancellationToken) => Task.FromResult(CancellationToken.None);
}
