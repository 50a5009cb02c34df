namespace NewsBot.Publishing;

/// <summary>
/// Sliding-window limiter on the injected clock: <see cref="TryEnter"/> takes a slot if one is free now,
/// <see cref="WaitAsync"/> waits until one is. Waiters queue in arrival order.
/// </summary>
/// <param name="taken">Slots taken before this gate existed, oldest first (a channel's recent posts from the outbox).</param>
public sealed class RateGate(RateLimit limit, TimeProvider time, IEnumerable<DateTimeOffset>? taken = null)
{
    private readonly Queue<DateTimeOffset> _recent = new(taken ?? []);
    private readonly Lock _state = new();
    private readonly SemaphoreSlim _waiters = new(1, 1);

    /// <summary>Takes a slot and returns zero, or takes nothing and returns how long until a slot frees.</summary>
    public TimeSpan TryEnter()
    {
        lock (_state)
        {
            var now = time.GetUtcNow();
            while (_recent.Count > 0 && now - _recent.Peek() >= limit.Period)
            {
                _recent.Dequeue();
            }

            if (_recent.Count < limit.Count)
            {
                _recent.Enqueue(now);
                return TimeSpan.Zero;
            }

            return limit.Period - (now - _recent.Peek());
        }
    }

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _waiters.WaitAsync(cancellationToken);
        try
        {
            for (var wait = TryEnter(); wait > TimeSpan.Zero; wait = TryEnter())
            {
                await Task.Delay(wait, time, cancellationToken);
            }
        }
        finally
        {
            _waiters.Release();
        }
    }
}
