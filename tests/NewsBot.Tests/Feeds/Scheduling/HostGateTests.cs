using NewsBot.Feeds.Scheduling;

namespace NewsBot.Tests.Feeds.Scheduling;

public class HostGateTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnterAsync_SameHost_SecondWaitsUntilFirstLeaves()
    {
        var gate = new HostGate();
        var first = await gate.EnterAsync("news.example", Token);

        var second = gate.EnterAsync("NEWS.example", Token);
        Assert.False(second.IsCompleted);

        first.Dispose();
        using var lease = await second.WaitAsync(TimeSpan.FromSeconds(10), Token);
        Assert.Equal(1, gate.ActiveHosts);
    }

    [Fact]
    public async Task EnterLocationAsync_LocalFiles_NeverWaitForEachOther()
    {
        // Issue 13: every local file shared one key, so 30 configured files were read one after the other.
        var gate = new HostGate();

        using var first = await gate.EnterLocationAsync("/feeds/a.xml", Token);
        var second = gate.EnterLocationAsync("feeds/b.xml", Token);
        var sameFile = gate.EnterLocationAsync("/feeds/a.xml", Token);

        Assert.True(second.IsCompletedSuccessfully);
        Assert.True(sameFile.IsCompletedSuccessfully);
        Assert.Equal(0, gate.ActiveHosts);
        Assert.Null(HostGate.KeyOf("file:///feeds/a.xml"));
        Assert.Equal("news.example", HostGate.KeyOf("https://news.example/feed"));
    }

    [Fact]
    public async Task EnterAsync_DifferentHosts_EnterAtOnce()
    {
        var gate = new HostGate();

        using var a = await gate.EnterAsync("a.example", Token);
        var b = gate.EnterAsync("b.example", Token);

        Assert.True(b.IsCompletedSuccessfully);
        using var lease = await b;
        Assert.Equal(2, gate.ActiveHosts);
    }

    [Fact]
    public async Task EnterAsync_ManyCallersOnOneHost_NeverOverlap()
    {
        var gate = new HostGate();
        var inside = 0;
        var mostInside = 0;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            using var lease = await gate.EnterAsync("busy.example", Token);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref mostInside, now);
            await Task.Yield();
            Interlocked.Decrement(ref inside);
        }, Token)));

        Assert.Equal(1, mostInside);
        Assert.Equal(0, gate.ActiveHosts);
    }

    [Fact]
    public async Task EnterAsync_CancelledWhileWaiting_ThrowsAndLeavesNothingBehind()
    {
        var gate = new HostGate();
        var first = await gate.EnterAsync("news.example", Token);
        using var cancel = new CancellationTokenSource();

        var waiting = gate.EnterAsync("news.example", cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        first.Dispose();
        Assert.Equal(0, gate.ActiveHosts);
        using var again = await gate.EnterAsync("news.example", Token);
    }

    [Fact]
    public async Task Dispose_Twice_ReleasesOnlyOnce()
    {
        var gate = new HostGate();
        var first = await gate.EnterAsync("news.example", Token);
        var second = gate.EnterAsync("news.example", Token);

        first.Dispose();
        first.Dispose();
        using var lease = await second;
        var third = gate.EnterAsync("news.example", Token);

        Assert.False(third.IsCompleted);
        lease.Dispose();
        (await third).Dispose();
        Assert.Equal(0, gate.ActiveHosts);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
