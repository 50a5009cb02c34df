using Microsoft.Extensions.Options;
using Npgsql;
using NewsBot.Runtime;

namespace NewsBot.Storage.Postgres;

/// <summary>
/// The sending half of the cross-process wake-up (<see cref="PostgresOutboxListener"/> is the other): in cluster mode a
/// transaction that adds outbox rows notifies <see cref="Channel"/> with this process's id. PostgreSQL delivers a
/// notification only when its transaction commits, so a listener never looks for rows that are not there yet, and
/// merges repeats within one transaction. Alone (no cluster) nobody else listens, so nothing is sent.
/// </summary>
public sealed class PgOutboxNotifier(IOptions<ClusterOptions> cluster, ProcessIdentity self)
{
    public const string Channel = "newsbot_outbox";

    /// <summary>Who sent a notification (its payload): a listener ignores its own process's, whose dispatcher the ingest wakes directly.</summary>
    public string Sender => self.Id;

    public Task NotifyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        cluster.Value.Enabled
            ? connection.ExecuteAsync(transaction, "SELECT pg_notify(@channel, @sender)", cancellationToken, ("channel", Channel), ("sender", self.Id))
            : Task.CompletedTask;
}
