using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Runtime;
using NewsBot.Storage;

namespace NewsBot.Platforms;

/// <summary>
/// Leadership of a cluster: one lease per role (<c>role:&lt;name&gt;</c> in <see cref="ILeaseStore"/>), taken by
/// whichever process asks first once it is free, renewed every <see cref="ClusterOptions.RenewEvery"/>. The lead
/// token is cancelled when a renewal finds another owner, or when renewals have failed (database unreachable) until
/// <see cref="ClusterOptions.StopMargin"/> before the lease ends, so the old leader has stopped before another
/// process can take the role. A caller that stops (its token cancelled) gives the role up at once.
/// </summary>
public sealed partial class LeasedLeadership(
    ILeaseStore leases,
    ProcessIdentity self,
    TimeProvider time,
    IOptions<ClusterOptions> options,
    ILogger<LeasedLeadership> logger) : ILeadership, IClusterHoldings
{
    public const string Prefix = "role:";

    private readonly ConcurrentDictionary<string, byte> _leading = new(StringComparer.Ordinal);
    private int _unreachable;

    public async Task<CancellationToken> WaitToLeadAsync(string role, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var name = Prefix + role;
        while (true)
        {
            var now = time.GetUtcNow();
            try
            {
                var holder = await leases.TakeAsync(name, self.Id, now, now + settings.LeaseLength, cancellationToken);
                Reachable();
                if (holder.Owner == self.Id)
                {
                    var lead = new CancellationTokenSource();
                    _leading[role] = 0;
                    LogLeading(logger, role);
                    _ = KeepAsync(role, name, holder.Until, lead, cancellationToken);
                    return lead.Token;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Unreachable(ex);
            }

            await Task.Delay(settings.RenewEvery, time, cancellationToken);
        }
    }

    /// <summary>"telegram receiver" for the role telegram.receiver.</summary>
    public IEnumerable<string> Describe() => _leading.Keys.Order(StringComparer.Ordinal).Select(role => role.Replace('.', ' '));

    private async Task KeepAsync(string role, string name, DateTimeOffset until, CancellationTokenSource lead, CancellationToken stopping)
    {
        var settings = options.Value;
        try
        {
            while (true)
            {
                await Task.Delay(settings.RenewEvery, time, stopping);
                var now = time.GetUtcNow();
                try
                {
                    var renewed = await leases.RenewAsync([name], self.Id, now + settings.LeaseLength, stopping);
                    Reachable();
                    if (!renewed.Contains(name))
                    {
                        LogLost(logger, role, "another process holds it now");
                        return;
                    }

                    until = now + settings.LeaseLength;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Unreachable(ex);
                    if (time.GetUtcNow() >= until - settings.StopMargin)
                    {
                        LogLost(logger, role, "its lease could not be renewed in time");
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The caller stops: give the role up now instead of leaving the others to wait for the lease to end.
            try
            {
                await leases.ReleaseAsync([name], self.Id, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Unreachable(ex);
            }
        }
        finally
        {
            _leading.TryRemove(role, out _);
            await lead.CancelAsync();
        }
    }

    private void Reachable() => Interlocked.Exchange(ref _unreachable, 0);

    /// <summary>Logged once per outage, not on every attempt.</summary>
    private void Unreachable(Exception exception)
    {
        if (Interlocked.Exchange(ref _unreachable, 1) == 0)
        {
            LogUnreachable(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: this process now leads {Role}")]
    private static partial void LogLeading(ILogger logger, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: this process no longer leads {Role}: {Why}")]
    private static partial void LogLost(ILogger logger, string role, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: the lease table cannot be reached; roles and shards held are given up if this lasts")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}
