using Microsoft.Extensions.Options;

namespace NewsBot.Feeds.Scheduling;

/// <summary>
/// When to poll a source next. Pure arithmetic over the times it is given: the polling service owns the clock.
/// </summary>
/// <param name="random">Jitter source; <see cref="Random.Shared"/> in the app, a seeded one in tests.</param>
public sealed class PollPlanner(IOptions<FeedsOptions> options, Random random)
{
    /// <summary>Backoff never shortens below this fraction of its nominal delay, so jitter spreads but keeps growth.</summary>
    private const double JitterFraction = 0.25;

    /// <summary>
    /// After a successful poll (new content or 304). The feed's own hints (RSS ttl, sy:updatePeriod/Frequency,
    /// Cache-Control max-age) may only stretch the configured interval: they say how long the content stays
    /// fresh, not that we should come sooner. The result stays within Min/MaxPollInterval.
    /// </summary>
    public DateTimeOffset NextAfterSuccess(DateTimeOffset now, TimeSpan? feedInterval, TimeSpan? maxAge)
    {
        var interval = options.Value.PollInterval;
        if (feedInterval > interval)
        {
            interval = feedInterval.Value;
        }

        if (maxAge > interval)
        {
            interval = maxAge.Value;
        }

        return now + Bound(interval);
    }

    /// <summary>
    /// After a failed poll: the poll interval doubled per consecutive failure, shortened by up to a quarter at
    /// random so that sources that failed together (an outage) do not all retry together, then never earlier
    /// than the server's Retry-After. Everything is capped at MaxPollInterval, Retry-After included, so a
    /// hostile header cannot park a source for a year.
    /// </summary>
    public DateTimeOffset NextAfterFailure(DateTimeOffset now, int consecutiveFailures, TimeSpan? retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(consecutiveFailures, 1);
        var settings = options.Value;
        // 2^30 times any allowed interval is far past the cap; the exponent limit only avoids overflow.
        var nominal = Math.Min(
            settings.PollInterval.Ticks * Math.Pow(2, Math.Min(consecutiveFailures - 1, 30)),
            settings.MaxPollInterval.Ticks);
        var delay = TimeSpan.FromTicks((long)(nominal * (1 - (JitterFraction * random.NextDouble()))));
        if (retryAfter > delay)
        {
            delay = retryAfter.Value;
        }

        return now + Bound(delay);
    }

    /// <summary>True once a source has failed often enough in a row to stop polling it and tell its admins.</summary>
    public bool ShouldDisable(int consecutiveFailures) => consecutiveFailures >= options.Value.MaxConsecutiveFailures;

    /// <summary>Clamps to [MinPollInterval, MaxPollInterval]; a misconfigured Min above Max yields Max.</summary>
    private TimeSpan Bound(TimeSpan interval)
    {
        var settings = options.Value;
        var atLeastMin = interval < settings.MinPollInterval ? settings.MinPollInterval : interval;
        return atLeastMin > settings.MaxPollInterval ? settings.MaxPollInterval : atLeastMin;
    }
}
