using Microsoft.Extensions.DependencyInjection;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>The cluster's leases and quotas (PostgreSQL only: a cluster needs it).</summary>
public sealed class LeaseStoreTests(PostgresServer server)
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch.AddYears(56);

    [Fact]
    public async Task TakeAsync_HeldByAnother_RefusedUntilItEnds()
    {
        using var bed = await BedAsync();
        var store = bed.Services.GetRequiredService<ILeaseStore>();
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal("a", (await store.TakeAsync("role:x", "a", T0, T0.AddSeconds(15), ct)).Owner);
        var refused = await store.TakeAsync("role:x", "b", T0.AddSeconds(14), T0.AddSeconds(29), ct);
        Assert.Equal(new Lease("role:x", "a", T0.AddSeconds(15)), refused);
        Assert.Equal("a", (await store.TakeAsync("role:x", "a", T0.AddSeconds(5), T0.AddSeconds(20), ct)).Owner);
        Assert.Equal("b", (await store.TakeAsync("role:x", "b", T0.AddSeconds(20.001), T0.AddSeconds(35), ct)).Owner);
        Assert.Empty(await store.RenewAsync(["role:x"], "a", T0.AddSeconds(40), ct));
    }

    [Fact]
    public async Task TakeAsync_ManyProcessesRacing_ExactlyOneWins()
    {
        using var bed = await BedAsync();
        var store = bed.Services.GetRequiredService<ILeaseStore>();
        var takes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            store.TakeAsync("discord.shard:4:0", $"p{i}", T0, T0.AddSeconds(15), TestContext.Current.CancellationToken)));

        // Every taker is told the one holder, and exactly one of them is it.
        var winner = Assert.Single(takes.Distinct());
        Assert.Single(Enumerable.Range(0, 8), i => winner.Owner == $"p{i}");
        Assert.Single(await store.ListAsync("discord.shard:4:", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RenewAndRelease_OnlyTheOwnersLeases()
    {
        using var bed = await BedAsync();
        var store = bed.Services.GetRequiredService<ILeaseStore>();
        var ct = TestContext.Current.CancellationToken;
        await store.TakeAsync("discord.shard:2:0", "a", T0, T0.AddSeconds(15), ct);
        await store.TakeAsync("discord.shard:2:1", "b", T0, T0.AddSeconds(15), ct);

        Assert.Equal(["discord.shard:2:0"], await store.RenewAsync(["discord.shard:2:0", "discord.shard:2:1"], "a", T0.AddSeconds(30), ct));
        await store.ReleaseAsync(["discord.shard:2:0", "discord.shard:2:1"], "b", ct);

        var left = await store.ListAsync("discord.shard:2:", ct);
        Assert.Equal([new Lease("discord.shard:2:0", "a", T0.AddSeconds(30))], left);
    }

    [Fact]
    public async Task Quota_TakenByAll_NeverBelowZeroAndRefilledOnlyByTheNextPeriod()
    {
        using var bed = await BedAsync();
        var quotas = bed.Services.GetRequiredService<IQuotaStore>();
        var ct = TestContext.Current.CancellationToken;
        var reset = T0.AddHours(1);

        var takes = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => quotas.TakeAsync("starts", 3, reset, T0, ct)));
        Assert.Equal(3, takes.Count(t => t.Taken));
        Assert.All(takes, t => Assert.Equal(reset, t.ResetAt));

        // A fresher figure of the same period never raises the count; a later period starts it anew.
        Assert.False((await quotas.TakeAsync("starts", 1000, reset, T0.AddMinutes(1), ct)).Taken);
        await quotas.GiveBackAsync("starts", reset, ct);
        Assert.True((await quotas.TakeAsync("starts", 1000, reset, T0.AddMinutes(2), ct)).Taken);
        Assert.False((await quotas.TakeAsync("starts", 1000, reset, T0.AddMinutes(3), ct)).Taken);
        var next = await quotas.TakeAsync("starts", 1000, reset.AddDays(1), reset.AddSeconds(1), ct);
        Assert.Equal(new QuotaTake(true, reset.AddDays(1)), next);
    }

    [Fact]
    public async Task Quota_PlatformCountsFewer_Lowered()
    {
        using var bed = await BedAsync();
        var quotas = bed.Services.GetRequiredService<IQuotaStore>();
        var ct = TestContext.Current.CancellationToken;
        var reset = T0.AddHours(1);
        Assert.True((await quotas.TakeAsync("starts", 10, reset, T0, ct)).Taken);

        // Another client of the token spent the rest: Discord now says 0 are left.
        Assert.False((await quotas.TakeAsync("starts", 0, reset, T0.AddMinutes(1), ct)).Taken);
    }

    private async Task<DeliveryTestBed> BedAsync() =>
        await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(StorageEngines.Postgres, server));
}
