namespace NewsBot.Telegram;

/// <summary>
/// Keeps sends under Telegram's own sliding window: at most <c>count</c> per <c>window</c>, counted when Telegram
/// receives them. A send holds a permit from before its request until <c>window</c> after Telegram received it; that
/// moment is unknown, but it lies at least the answer's trip back before the answer, and no trip back is shorter than
/// half the fastest round trip seen so far. Every request Telegram counted in one of its windows therefore still holds
/// its permit at that window's end, so no more than <c>count</c> fall in any window, whatever the jitter.
/// Timing the hold from the request's start instead (start + window + a margin) was measured on the loopback fake:
/// under CPU load a stalled process lets requests reach the server in clumps, and each clump came back as a dozen 429s.
/// </summary>
internal sealed class TelegramSendWindow(int count, TimeSpan window, TimeProvider time)
{
    /// <summary>
    /// Timers run on a coarse millisecond tick and can fire a few milliseconds before the precise due time; on loopback
    /// the credit below is as small as that, and two 429s in one fan-out showed the hold then ended a hair too soon.
    /// </summary>
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(5);

    private readonly SemaphoreSlim _permits = new(count, count);
    private long _fastestRoundTripTicks = long.MaxValue;

    public async Task<T> RunAsync<T>(Func<Task<T>> send, CancellationToken cancellationToken)
    {
        await _permits.WaitAsync(cancellationToken);
        var started = time.GetTimestamp();
        var answered = false;
        try
        {
            var result = await send();
            answered = true;
            return result;
        }
        finally
        {
            _ = ReleaseLaterAsync(window + TimerSlack - TripBackCredit(time.GetElapsedTime(started), answered));
        }
    }

    /// <summary>How much sooner than a window after the answer the permit can go; a failed request earns no credit.</summary>
    private TimeSpan TripBackCredit(TimeSpan roundTrip, bool answered)
    {
        if (!answered)
        {
            // A timeout or a refused connection says nothing about when (or whether) Telegram saw the request.
            return TimeSpan.Zero;
        }

        var fastest = Interlocked.Read(ref _fastestRoundTripTicks);
        while (roundTrip.Ticks < fastest)
        {
            var seen = Interlocked.CompareExchange(ref _fastestRoundTripTicks, roundTrip.Ticks, fastest);
            if (seen == fastest)
            {
                fastest = roundTrip.Ticks;
                break;
            }

            fastest = seen;
        }

        return TimeSpan.FromTicks(fastest / 2);
    }

    private async Task ReleaseLaterAsync(TimeSpan hold)
    {
        await Task.Delay(hold, time, CancellationToken.None);
        _permits.Release();
    }
}
