using Microsoft.Extensions.Time.Testing;
using NewsBot.Platforms.Telegram;

namespace NewsBot.Tests.Platforms.Telegram;

public sealed class TelegramSendWindowTests
{
    /// <summary>A window of one second plus the hold's allowance for timers that fire early.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromMilliseconds(1005);

    [Fact]
    public async Task RunAsync_WindowFull_WaitsUntilAWindowAfterTheOldestAnswer()
    {
        var time = new FakeTimeProvider();
        var window = new TelegramSendWindow(2, TimeSpan.FromSeconds(1), time);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(1, await window.RunAsync(() => Task.FromResult(1), ct));
        Assert.Equal(2, await window.RunAsync(() => Task.FromResult(2), ct));

        var third = window.RunAsync(() => Task.FromResult(3), ct);
        time.Advance(Hold - TimeSpan.FromMilliseconds(1));
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, await third.WaitAsync(TimeSpan.FromSeconds(5), ct));
    }

    [Fact]
    public async Task RunAsync_SlowAnswer_HoldsItsPermitUntilAWindowAfterTheAnswer()
    {
        var time = new FakeTimeProvider();
        var window = new TelegramSendWindow(1, TimeSpan.FromSeconds(1), time);
        var ct = TestContext.Current.CancellationToken;
        var answer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = window.RunAsync(() => answer.Task, ct);
        var next = window.RunAsync(() => Task.FromResult(2), ct);

        time.Advance(TimeSpan.FromSeconds(5));
        answer.SetResult(1);
        await slow;
        time.Advance(Hold - TimeSpan.FromMilliseconds(1));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(2, await next.WaitAsync(TimeSpan.FromSeconds(5), ct));
    }
}
