using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace NewsBot.Runtime;

/// <summary>
/// The "NewsBot:Cluster" section: several processes of one bot sharing one PostgreSQL database. Each process
/// heartbeats; one missing for <see cref="DeadAfter"/> is dead, and what it held (sources, deliveries, shards, roles)
/// is taken over by the others.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "NewsBot:Cluster";

    public const string EnabledSetting = Section + ":Enabled";

    /// <summary>Off (the default): this process is the whole bot. On: it is one of several (needs the PostgreSQL engine).</summary>
    public bool Enabled { get; set; }

    /// <summary>How often a process writes that it is alive (and what it holds).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "NewsBot:Cluster:HeartbeatInterval must be between 00:00:01 and 00:10:00.")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A process whose last heartbeat is older than this is dead: its leases lapse and the others take its work.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00", ErrorMessage = "NewsBot:Cluster:DeadAfter must be between 00:00:02 and 01:00:00.")]
    public TimeSpan DeadAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a process holds what only one process may hold (a role such as the Telegram receiver, a Discord shard)
    /// without renewing it. The holder renews every third of it and stops the work once two thirds have passed without a
    /// renewal, so the work of a process that died is taken over about one lease length later.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "NewsBot:Cluster:LeaseLength must be between 00:00:01 and 00:10:00, e.g. 00:00:15.")]
    public TimeSpan LeaseLength { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Between two renewals of a lease, and between two attempts to take one held by another process.</summary>
    public TimeSpan RenewEvery => LeaseLength / 3;

    /// <summary>How long before its lease ends a holder that could not renew stops the work: clock drift and stopping fit in it.</summary>
    public TimeSpan StopMargin => LeaseLength / 3;

    /// <summary>
    /// Whether cluster mode is on, read while the services are composed (areas register their cluster implementations
    /// of leases and elections only then). A value that is not true/false is reported like any other bad setting.
    /// </summary>
    public static bool IsEnabled(IConfiguration configuration) => configuration.GetSection(Section).Get<ClusterOptions>()?.Enabled == true;
}

/// <summary>What attributes cannot check: a heartbeat must fit several times into the time after which a process is dead.</summary>
internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options) =>
        options.DeadAfter < options.HeartbeatInterval * 2
            ? ValidateOptionsResult.Fail(
                $"NewsBot:Cluster:DeadAfter ({options.DeadAfter:c}) must be at least twice NewsBot:Cluster:HeartbeatInterval ({options.HeartbeatInterval:c}), " +
                "so one late heartbeat does not make a live process look dead.")
            : ValidateOptionsResult.Success;
}
