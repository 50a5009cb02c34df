namespace NewsBot.Fakes.Discord;

/// <summary>Lets tests await "the fake recorded something matching" without polling sleeps.</summary>
public sealed class ChangeSignal
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Pulse() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes when <paramref name="condition"/> holds; throws TimeoutException naming what was awaited.</summary>
    /// <param name="recheck">
    /// Also look again this often: for conditions that hold state outside the fake too (which processes run a shard),
    /// which can turn true without a pulse.
    /// </param>
    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, TimeSpan? recheck = null)
    {
        var deadline = TimeSpan.FromSeconds(10);
        using var cts = new CancellationTokenSource(timeout ?? deadline);
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (condition())
            {
                return;
            }

            try
            {
                await (recheck is { } every ? Task.WhenAny(changed, Task.Delay(every, cts.Token)) : changed).WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Fake Discord: timed out waiting for {what}");
            }
        }
    }
}
