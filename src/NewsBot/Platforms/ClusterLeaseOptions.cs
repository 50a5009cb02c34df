using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using NewsBot.Storage;

namespace NewsBot.Platforms;

/// <summary>
/// How long a process of a cluster holds what only one process may hold (a role, a Discord shard) without renewing it
/// ("NewsBot:Cluster:LeaseLength"). The holder renews every third of it and stops the work once two thirds have passed
/// without a renewal, so the work of a process that died is taken over about one lease length later.
/// </summary>
public sealed class ClusterLeaseOptions
{
    public const string Section = "NewsBot:Cluster";

    /// <summary>Cluster mode: several processes on one PostgreSQL database (checked and documented with the membership settings).</summary>
    public const string EnabledSetting = Section + ":Enabled";

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "NewsBot:Cluster:LeaseLength must be between 00:00:01 and 00:10:00, e.g. 00:00:15.")]
    public TimeSpan LeaseLength { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Between two renewals, and between two attempts to take something held by another process.</summary>
    public TimeSpan RenewEvery => LeaseLength / 3;

    /// <summary>How long before its lease ends a holder that could not renew stops the work: clock drift and stopping fit in it.</summary>
    public TimeSpan StopMargin => LeaseLength / 3;

    /// <summary>
    /// Whether this process coordinates with others through leases: cluster mode on the PostgreSQL engine. With SQLite
    /// there is only ever one process (the membership settings refuse cluster mode there).
    /// </summary>
    public static bool IsClustered(IConfiguration configuration) =>
        configuration.GetValue<bool>(EnabledSetting)
        && (configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.Provider.Trim().ToLowerInvariant() is "postgres" or "postgresql");
}
