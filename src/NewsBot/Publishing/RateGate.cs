namespace NewsBot.Publishing;

/// <summary>
/// Sliding-window limiter on the injected clock: <see cref="WaitAsync"/> returns when one more event fits in the window.
/// Callers for one key are expected to be sequential; different keys proceed independently.
/// </summary>
public sealed class RateGate(RateLimit limit, TimeProvider time)
{
    private readonly Queue<DateTimeOffset> _recent = new();
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var now = time.GetUtcNow();
                while (_recent.Count > 0 && now - _recent.Peek() >= limit.Period)
                {
                    _recent.Dequeue();
                }

                if (_recent.Count < limit.Count)
                {
                    _recent.Enqueue(now);
                    return;
                }

                await Task.Delay(limit.Period - (now - _recent.Peek()), time, cancellationToken);
            }
        }
        finally
        {
            _lock.Release();
        }
    }
}
