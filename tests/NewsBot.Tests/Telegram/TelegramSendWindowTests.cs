using Microsoft.Extensions.Time.Testing;
using NewsBot.Telegram;

namespace NewsBot.Tests.Telegram;

public sealed class TelegramSendWindowTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>The hold's allowance for timers that fire early.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_WindowFull_WaitsUntilAWindowAfterTheOldestAnswer()
    {
        var time = new FakeTimeProvider();
        var window = new TelegramSendWindow(2, Window, time);
        Assert.Equal(1, await window.RunAsync(() => Task.FromResult(1), Ct));
        Assert.Equal(2, await window.RunAsync(() => Task.FromResult(2), Ct));

        var third = window.RunAsync(() => Task.FromResult(3), Ct);
        time.Advance(Window + Slack - TimeSpan.FromMilliseconds(1));
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, await third.WaitAsync(TimeSpan.FromSeconds(5), Ct));
    }

    [Fact]
    public async Task RunAsync_SlowAnswer_ReleasesAWindowAfterItLessHalfTheFastestRoundTrip()
    {
        var time = new FakeTimeProvider();
        var window = new TelegramSendWindow(1, Window, time);
        // The fastest round trip seen: 200 ms, so every answer left Telegram at least 100 ms after it counted the request.
        var quick = Answer();
        var first = window.RunAsync(() => quick.Task, Ct);
        time.Advance(TimeSpan.FromMilliseconds(200));
        quick.SetResult(1);
        await first;
        time.Advance(Window + Slack);

        var slowAnswer = Answer();
        var slow = window.RunAsync(() => slowAnswer.Task, Ct);
        var next = window.RunAsync(() => Task.FromResult(3), Ct);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(next.IsCompleted);
        slowAnswer.SetResult(2);
        await slow;
        time.Advance(TimeSpan.FromMilliseconds(899) + Slack);
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, await next.WaitAsync(TimeSpan.FromSeconds(5), Ct));
    }

    [Fact]
    public async Task RunAsync_FailedRequest_HoldsAFullWindowAfterTheFailure()
    {
        var time = new FakeTimeProvider();
        var window = new TelegramSendWindow(1, Window, time);
        var quick = Answer();
        var first = window.RunAsync(() => quick.Task, Ct);
        time.Advance(TimeSpan.FromMilliseconds(200));
        quick.SetResult(1);
        await first;
        time.Advance(Window + Slack);

        // A failure (timeout, error answer) tells nothing about when Telegram saw the request: no credit.
        await Assert.ThrowsAsync<TimeoutException>(() => window.RunAsync<int>(() => throw new TimeoutException(), Ct));
        var next = window.RunAsync(() => Task.FromResult(2), Ct);
        time.Advance(Window + Slack - TimeSpan.FromMilliseconds(1));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(2, await next.WaitAsync(TimeSpan.FromSeconds(5), Ct));
    }

    private static TaskCompletionSource<int> Answer() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
