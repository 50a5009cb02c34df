using Microsoft.Extensions.Time.Testing;
using NewsBot.Runtime;

namespace NewsBot.Tests.Runtime;

public class ProcessIdentityTests
{
    [Fact]
    public void Id_NamesTheHostAndProcess_AndDiffersForEveryStart()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero));

        var first = new ProcessIdentity(time);
        var second = new ProcessIdentity(time);

        Assert.StartsWith($"{Environment.MachineName}-{Environment.ProcessId}-", first.Id);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(time.GetUtcNow(), first.StartedAt);
        Assert.False(string.IsNullOrEmpty(first.Version));
    }
}

public class SoleProcessMembershipTests
{
    private sealed class Holding(params string[] items) : IClusterHoldings
    {
        public IEnumerable<string> Describe() => items;
    }

    [Fact]
    public async Task ListLive_IsThisProcessAlone_WithEverythingItHolds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero));
        var self = new ProcessIdentity(time);
        time.Advance(TimeSpan.FromMinutes(3));

        var members = await new SoleProcessMembership(self, time, [new Holding("shards 0, 1"), new Holding("telegram receiver")])
            .ListLiveAsync(CancellationToken.None);

        var member = Assert.Single(members);
        Assert.Equal(self.Id, member.Id);
        Assert.Equal(time.GetUtcNow(), member.HeartbeatAt);
        Assert.Equal(["shards 0, 1", "telegram receiver"], member.Holds);
    }
}
