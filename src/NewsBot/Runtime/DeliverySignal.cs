namespace NewsBot.Runtime;

/// <summary>
/// Wakes the dispatcher when the outbox gained rows, so posts go out at once instead of at the next tick. Each loop
/// that waits holds its own <see cref="Listener"/>, and one notification wakes them all.
/// </summary>
public sealed class DeliverySignal
{
    private readonly Lock _listenersLock = new();
    private readonly List<Listener> _listeners = [];
    private readonly Listener _shared;

    public DeliverySignal()
    {
        _shared = Listen();
    }

    /// <summary>A wake-up remembered for one waiting loop: a notification that arrives while it is busy is not lost.</summary>
    public Listener Listen()
    {
        var listener = new Listener();
        lock (_listenersLock)
        {
            _listeners.Add(listener);
        }

        return listener;
    }

    public void Notify()
    {
        lock (_listenersLock)
        {
            foreach (var listener in _listeners)
            {
                listener.Wake();
            }
        }
    }

    /// <summary>Waits on the shared listener, for a single waiting loop.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        _shared.WaitAsync(timeout, time, cancellationToken);

    public sealed class Listener
    {
        private readonly SemaphoreSlim _signal = new(0, 1);

        internal void Wake()
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled; one wake-up covers any number of notifications.
            }
        }

        /// <summary>Waits for a wake-up or <paramref name="timeout"/>; true when woken.</summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(timeout, time, timeoutSource.Token);
            var signalled = _signal.WaitAsync(timeoutSource.Token);
            await Task.WhenAny(delay, signalled);
            await timeoutSource.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            return signalled.IsCompletedSuccessfully;
        }
    }
}
