using Microsoft.Extensions.Logging;

namespace NewsBot.Discord.Gateway;

/// <summary>
/// Keeps <see cref="GatewayOutage"/> for one part of the Gateway (a shard, or the shard set's GET /gateway/bot):
/// the first failure after being reachable is a warning with the next attempt, repeats go to debug, and one info
/// line says when it is reachable again.
/// </summary>
internal sealed partial class GatewayOutageReporter(TimeProvider time, ILogger logger)
{
    private GatewayOutage? _outage;

    public GatewayOutage? Current => Volatile.Read(ref _outage);

    public void Unreachable(string why, TimeSpan delay)
    {
        var now = time.GetUtcNow();
        var next = now + delay;
        var outage = Volatile.Read(ref _outage);
        Volatile.Write(ref _outage, outage is null
            ? new GatewayOutage(now, 1, why, next)
            : outage with { FailedAttempts = outage.FailedAttempts + 1, LastError = why, NextAttemptAt = next });
        if (outage is null)
        {
            LogUnreachable(logger, why, next);
        }
        else
        {
            LogStillUnreachable(logger, outage.FailedAttempts + 1, why, next);
        }
    }

    public void Reachable()
    {
        if (Interlocked.Exchange(ref _outage, null) is { } outage)
        {
            LogReachableAgain(logger, Math.Round((time.GetUtcNow() - outage.Since).TotalSeconds), outage.FailedAttempts);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway unreachable: {Why}; next attempt at {NextAttemptAt:u} (repeats are logged at debug until it connects)")]
    private static partial void LogUnreachable(ILogger logger, string why, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord gateway still unreachable after {FailedAttempts} attempts: {Why}; next attempt at {NextAttemptAt:u}")]
    private static partial void LogStillUnreachable(ILogger logger, int failedAttempts, string why, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway connected again after {DowntimeSeconds} s and {FailedAttempts} failed attempts")]
    private static partial void LogReachableAgain(ILogger logger, double downtimeSeconds, int failedAttempts);
}
