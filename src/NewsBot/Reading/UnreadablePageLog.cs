namespace NewsBot.Reading;

/// <summary>
/// Counts article pages that could not be read, per source, so the log gets one summary line per source an hour
/// instead of one line per page (a site that blocks readers fails for every article). Each page is still logged at debug.
/// </summary>
public sealed class UnreadablePageLog(TimeProvider time)
{
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromHours(1);

    private readonly Dictionary<long, Tally> _tallies = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Counts one unreadable page. Returns the pages counted since the source's last summary (this one included) when
    /// a summary is due: at a source's first failure, then at most once per <see cref="SummaryInterval"/>.
    /// </summary>
    public (int Count, DateTimeOffset Since)? Count(long sourceId)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_tallies.TryGetValue(sourceId, out var tally))
            {
                _tallies[sourceId] = new Tally(now, 0);
                return (1, now);
            }

            if (now - tally.Since < SummaryInterval)
            {
                _tallies[sourceId] = tally with { Count = tally.Count + 1 };
                return null;
            }

            _tallies[sourceId] = new Tally(now, 0);
            return (tally.Count + 1, tally.Since);
        }
    }

    /// <param name="Since">When the last summary was logged; <paramref name="Count"/> failures came after it.</param>
    private sealed record Tally(DateTimeOffset Since, int Count);
}
