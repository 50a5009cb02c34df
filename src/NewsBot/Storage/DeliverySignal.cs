namespace NewsBot.Storage;

/// <summary>Wakes the dispatcher when the outbox gained rows, so posts go out at once instead of at the next tick.</summary>
public sealed class DeliverySignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
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

    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, timeoutSource.Token);
        var signalled = _signal.WaitAsync(timeoutSource.Token);
        await Task.WhenAny(delay, signalled);
        await timeoutSource.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
