namespace NewsBot.Platforms.Telegram;

/// <summary>
/// Keeps sends under Telegram's own sliding window (at most <c>count</c> per <c>window</c>, counted when Telegram
/// receives them). A send holds a permit from before the request until <c>window</c> after its answer: every
/// request Telegram counted in any window of that length held its permit at the window's end, so no more than
/// <c>count</c> can fall in one, whatever the network jitter. The dispatcher's gate, timed on our side only,
/// cannot promise that: a delayed burst overlaps the next one in Telegram's window and comes back as 429s.
/// Holding the permit for <c>window</c> from the request's start instead (plus a margin) was measured against the
/// loopback fake under CPU load: a stalled process lets requests reach the server in clumps, and each clump came back
/// as a dozen 429s; crediting half the fastest round trip as the answer's trip back also drew 429s, because the round
/// trip measured here includes building the request.
/// </summary>
internal sealed class TelegramSendWindow(int count, TimeSpan window, TimeProvider time)
{
    /// <summary>Timers run on a coarse millisecond tick and can fire a few milliseconds before the precise due time.</summary>
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(5);

    private readonly SemaphoreSlim _permits = new(count, count);

    public async Task<T> RunAsync<T>(Func<Task<T>> send, CancellationToken cancellationToken)
    {
        await _permits.WaitAsync(cancellationToken);
        try
        {
            return await send();
        }
        finally
        {
            _ = ReleaseLaterAsync();
        }
    }

    private async Task ReleaseLaterAsync()
    {
        await Task.Delay(window + TimerSlack, time, CancellationToken.None);
        _permits.Release();
    }
}
