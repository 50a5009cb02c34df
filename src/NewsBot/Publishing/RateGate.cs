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
    private RateLimit _limit = limit;

    /// <summary>The rate now. A new one counts the slots already taken in its period (a global budget re-shared as processes come and go).</summary>
    public RateLimit Limit
    {
        get
        {
            lock (_state)
            {
                return _limit;
            }
        }

        set
        {
            lock (_state)
            {
                _limit = value;
            }
        }
    }

    /// <summary>Takes a slot and returns zero, or takes nothing and returns how long until a slot frees.</summary>
    public TimeSpan TryEnter()
    {
        lock (_state)
        {
            var now = time.GetUtcNow();
            while (_recent.Count > 0 && now - _recent.Peek() >= _limit.Period)
            {
                _recent.Dequeue();
            }

            if (_recent.Count < _limit.Count)
            {
                _recent.Enqueue(now);
                return TimeSpan.Zero;
            }

            // The slot that frees first: the one Count places from the end (more than Count are queued after the limit shrank).
            return _limit.Period - (now - _recent.ElementAt(_recent.Count - _limit.Count));
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
