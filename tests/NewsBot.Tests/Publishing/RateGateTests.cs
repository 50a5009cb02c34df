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
}
