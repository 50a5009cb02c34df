using Microsoft.Extensions.Time.Testing;
using NewsBot.Publishing;

namespace NewsBot.Tests.Publishing;

public sealed class RateGateTests
{
    [Fact]
    public async Task Wait_WindowFull_WaitsUntilTheOldestLeaves()
    {
        var clock = new FakeTimeProvider(DeliveryTestBed.Start);
        var gate = new RateGate(new RateLimit(2, TimeSpan.FromMinutes(1)), clock);
        await gate.WaitAsync(TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(10));
        await gate.WaitAsync(TestContext.Current.CancellationToken);

        var third = gate.WaitAsync(TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(49));
        Assert.False(third.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        await third.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public void TryEnter_LimitShrankBelowTheSlotsTaken_WaitsUntilEnoughLeave()
    {
        var clock = new FakeTimeProvider(DeliveryTestBed.Start);
        var gate = new RateGate(new RateLimit(4, TimeSpan.FromSeconds(1)), clock);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(TimeSpan.Zero, gate.TryEnter());
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        // Taken at 0, 100, 200, 300 ms; now 400 ms. Two a second: the third-newest (200 ms) must leave first, at 1.2 s.
        gate.Limit = new RateLimit(2, TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromMilliseconds(800), gate.TryEnter());
    }

    [Theory]
    [InlineData(50, 1, 50, 1)]
    [InlineData(50, 3, 16, 1)]
    [InlineData(30, 2, 15, 1)]
    [InlineData(30, 30, 1, 1)]
    [InlineData(30, 45, 1, 2)]
    public void ShareOf_LiveProcesses_TogetherWithinTheBudget(int count, int processes, int shareCount, int sharePeriodSeconds)
    {
        var share = new RateLimit(count, TimeSpan.FromSeconds(1)).ShareOf(processes);

        Assert.Equal(new RateLimit(shareCount, TimeSpan.FromSeconds(sharePeriodSeconds)), share);
        Assert.True(processes * share.Count / share.Period.TotalSeconds <= count);
    }
}
