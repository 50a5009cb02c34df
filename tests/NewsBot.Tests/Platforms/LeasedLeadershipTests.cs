using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Platforms;
using NewsBot.Runtime;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Platforms;

/// <summary>Two processes' leaderships on one PostgreSQL lease table, in fake time (lease 15 s, the default).</summary>
public sealed class LeasedLeadershipTests(PostgresServer server)
{
    private const string Role = "telegram.receiver";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddYears(56));

    [Fact]
    public async Task WaitToLead_LeaderDiesWithoutReleasing_OldStopsBeforeNewLeadsWithin30Seconds()
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(StorageEngines.Postgres, server));
        var store = bed.Services.GetRequiredService<ILeaseStore>();
        var cutOff = new DatabaseCutOff();
        var first = Leadership(cutOff.Wrap(store));
        var second = Leadership(store);
        var start = _time.GetUtcNow();

        var firstLead = await first.WaitToLeadAsync(Role, TestContext.Current.CancellationToken);
        DateTimeOffset? firstStopped = null;
        firstLead.Register(() => firstStopped = _time.GetUtcNow());
        var secondLeads = second.WaitToLeadAsync(Role, TestContext.Current.CancellationToken);
        await AdvanceUntilAsync(() => false, TimeSpan.FromSeconds(6));
        Assert.False(secondLeads.IsCompleted);
        Assert.Equal(["telegram receiver"], first.Describe());

        // Dies: no renewal, no release. Its lease, renewed at 5 s, runs to 20 s.
        cutOff.Cut();
        var died = _time.GetUtcNow();
        await AdvanceUntilAsync(() => secondLeads.IsCompleted, TimeSpan.FromSeconds(60));
        var secondLeadAt = _time.GetUtcNow();

        Assert.NotNull(firstStopped);
        Assert.True(firstStopped < start + TimeSpan.FromSeconds(20), $"the old leader stopped at {firstStopped - start}");
        Assert.True(secondLeadAt > start + TimeSpan.FromSeconds(20), $"the new leader started at {secondLeadAt - start}, before the old lease ended");
        Assert.True(secondLeadAt - died < TimeSpan.FromSeconds(30), $"taken over {secondLeadAt - died} after the death");
        Assert.False((await secondLeads).IsCancellationRequested);
        Assert.Empty(first.Describe());
        Assert.Equal(["telegram receiver"], second.Describe());
    }

    [Fact]
    public async Task WaitToLead_LeaderStops_RoleReleasedAndTakenAtTheNextAttempt()
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(StorageEngines.Postgres, server));
        var store = bed.Services.GetRequiredService<ILeaseStore>();
        var first = Leadership(store);
        var second = Leadership(store);
        using var firstRuns = new CancellationTokenSource();
        var firstLead = await first.WaitToLeadAsync(Role, firstRuns.Token);
        var secondLeads = second.WaitToLeadAsync(Role, TestContext.Current.CancellationToken);

        await firstRuns.CancelAsync();
        await AdvanceUntilAsync(() => firstLead.IsCancellationRequested, TimeSpan.FromSeconds(1));
        var stoppedAt = _time.GetUtcNow();
        await AdvanceUntilAsync(() => secondLeads.IsCompleted, TimeSpan.FromSeconds(15));

        // One attempt later (5 s), not a whole lease (15 s) later.
        Assert.True(_time.GetUtcNow() - stoppedAt <= TimeSpan.FromSeconds(6), $"taken {_time.GetUtcNow() - stoppedAt} after the release");
    }

    private LeasedLeadership Leadership(ILeaseStore store) =>
        new(store, new ProcessIdentity(_time), _time, Options.Create(new ClusterOptions()), NullLogger<LeasedLeadership>.Instance);

    /// <summary>Advances fake time in 250 ms steps, letting the database round trips the timers start finish between steps.</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        for (var advanced = TimeSpan.Zero; !condition() && advanced < limit; advanced += TimeSpan.FromMilliseconds(250))
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
