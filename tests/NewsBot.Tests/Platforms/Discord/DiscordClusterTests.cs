using System.Text.Json.Nodes;
using NewsBot.Discord.Gateway;
using NewsBot.Fakes.Discord;
using NewsBot.Platforms;
using NewsBot.Platforms.Discord;
using NewsBot.Runtime;
using NewsBot.Storage;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Platforms.Discord;

/// <summary>Three NewsBot processes on one PostgreSQL database share the shards of one bot against the sharding fake.</summary>
[Collection(TimeBoundCollection.Name)]
public sealed class DiscordClusterTests(PostgresServer server)
{
    private const int Shards = 4;

    [Fact]
    public async Task Shards_ThreeProcesses_EachShardRunByExactlyOneAndTakenOverAfterACrash()
    {
        // Two buckets of two shards: the second identify of each bucket must wait 5 s, whichever process makes it.
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { Shards = Shards, MaxConcurrency = 2, HeartbeatIntervalMs = 5000 },
            TestContext.Current.CancellationToken);
        await using var cluster = await ClusterProcesses.CreateAsync(server);
        var processes = await cluster.StartAsync(3, new Dictionary<string, string?>
        {
            ["NewsBot:Discord:Token"] = fake.Options.Token,
            ["NewsBot:Discord:ApiBaseUrl"] = fake.ApiBaseUrl,
        });

        // Commands are registered after the first shard is ready, on a task of its own: waited for, not raced.
        await WaitAsync(fake, () => AllShardsLive(fake) && Running(processes).Count == Shards && fake.CommandSets.Count > 0, "every shard live, commands registered");

        AssertEachShardRunOnce(processes);
        // Fair share ceil(4 / 3) = 2: nobody runs more.
        Assert.All(processes, p => Assert.InRange(p.Get<DiscordShardSet>().Running.Count, 0, 2));
        Assert.All(fake.Gateway.IdentifyRecords, i => Assert.Equal(0, i.Answer));
        Assert.Equal(0, fake.Gateway.OverlappingIdentifies);
        Assert.Single(fake.CommandSets);
        await AssertEveryGuildAnsweredOnceAsync(fake, 0);
        var holder = processes.First(p => p.Get<DiscordShardSet>().Running.Count == 2);
        var held = holder.Get<DiscordShardSet>().Running.Select(s => s.ShardId).ToList();
        Assert.Equal($"shards {string.Join(", ", held)}", Assert.Single(holder.Get<IEnumerable<IClusterHoldings>>().SelectMany(h => h.Describe()), d => d.StartsWith("shards", StringComparison.Ordinal)));

        var leaseStore = processes.First(p => p != holder).Get<ILeaseStore>();
        var leasedUntil = (await leaseStore.ListAsync(LeasedShardAllotment.Prefix(Shards), TestContext.Current.CancellationToken))
            .Where(l => l.Owner == holder.Identity.Id).Min(l => l.Until);
        var crashedAt = TimeProvider.System.GetUtcNow();
        await holder.CrashAsync();
        var survivors = processes.Where(p => p != holder).ToList();
        var takenEarly = new List<string>();
        await WaitAsync(fake, () =>
        {
            // Sampled on every look: none of its shards may start elsewhere while its lease (never released) runs.
            var now = TimeProvider.System.GetUtcNow();
            var early = survivors.SelectMany(p => p.Get<DiscordShardSet>().Running).Where(s => held.Contains(s.ShardId) && now < leasedUntil);
            takenEarly.AddRange(early.Select(s => $"shard {s.ShardId} at {now:O}"));
            return AllShardsLive(fake) && Running(survivors).Count == Shards;
        }, "the crashed process's shards taken over");
        var takenOverAfter = TimeProvider.System.GetUtcNow() - crashedAt;

        Assert.Empty(takenEarly);
        Assert.True(takenOverAfter < TimeSpan.FromSeconds(30), $"taken over {takenOverAfter} after the crash");
        AssertEachShardRunOnce(survivors);
        Assert.Equal(0, fake.Gateway.OverlappingIdentifies);
        Assert.Equal(0, fake.Gateway.OverlappingResumes);
        Assert.All(fake.Gateway.IdentifyRecords, i => Assert.Equal(0, i.Answer));
        Assert.Single(fake.CommandSets);
        await AssertEveryGuildAnsweredOnceAsync(fake, 1);
        var leases = await leaseStore.ListAsync(LeasedShardAllotment.Prefix(Shards), TestContext.Current.CancellationToken);
        Assert.Equal(Shards, leases.Count);
        Assert.DoesNotContain(leases, l => l.Owner == holder.Identity.Id);
    }

    [Fact]
    public async Task Shards_ProcessJoins_SurplusHandedOverWithoutRunningAShardTwice()
    {
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { Shards = Shards, MaxConcurrency = Shards, HeartbeatIntervalMs = 5000 },
            TestContext.Current.CancellationToken);
        await using var cluster = await ClusterProcesses.CreateAsync(server);
        var settings = new Dictionary<string, string?> { ["NewsBot:Discord:Token"] = fake.Options.Token, ["NewsBot:Discord:ApiBaseUrl"] = fake.ApiBaseUrl };
        var first = (await cluster.StartAsync(1, settings))[0];
        await WaitAsync(fake, () => AllShardsLive(fake) && first.Get<DiscordShardSet>().Running.Count == Shards, "one process runs every shard");

        var second = (await cluster.StartAsync(1, settings))[0];
        var both = new[] { first, second };
        await WaitAsync(fake, () => AllShardsLive(fake) && Running(both).Count == Shards && both.All(p => p.Get<DiscordShardSet>().Running.Count == Shards / 2), "two shards each");

        AssertEachShardRunOnce(both);
        Assert.Equal(0, fake.Gateway.OverlappingIdentifies);
        Assert.Equal(0, fake.Gateway.OverlappingResumes);
        await AssertEveryGuildAnsweredOnceAsync(fake, 0);
        // The handed-over shards resumed the sessions the first process saved: no new identify for them.
        Assert.Equal(Shards, fake.Gateway.IdentifyRecords.Count);
        Assert.Equal(new ComponentHealth(HealthState.Ok, "2 of 4 shards"), second.Get<IEnumerable<IComponentHealth>>().Single(h => h.Name == "discord").Check());
    }

    [Fact]
    public async Task Identify_TwoProcessesSharingASmallDailyBudget_NeverIdentifyMoreThanItAllows()
    {
        // Two session starts left today for four shards: each process alone would think both are its own.
        await using var fake = await FakeDiscordServer.StartAsync(
            new FakeDiscordOptions { Shards = Shards, MaxConcurrency = Shards, SessionStartRemaining = 2, SessionStartResetAfterMs = 3_600_000, HeartbeatIntervalMs = 5000 },
            TestContext.Current.CancellationToken);
        await using var cluster = await ClusterProcesses.CreateAsync(server);
        var processes = await cluster.StartAsync(2, new Dictionary<string, string?>
        {
            ["NewsBot:Discord:Token"] = fake.Options.Token,
            ["NewsBot:Discord:ApiBaseUrl"] = fake.ApiBaseUrl,
        });

        await WaitAsync(fake, () => Running(processes).Count == 2 && processes.Any(p => p.Get<DiscordShardSet>().IdentifyGate.BudgetSpent is not null),
            "two shards live and the budget reported spent");

        Assert.Equal(2, fake.Gateway.IdentifyRecords.Count);
        Assert.All(fake.Gateway.IdentifyRecords, i => Assert.Equal(0, i.Answer));
        // A process whose shards wait for tomorrow's budget says so.
        Assert.All(processes.Where(p => p.Get<DiscordShardSet>().IdentifyGate.BudgetSpent is not null),
            p => Assert.Equal(HealthState.Down, p.Get<IEnumerable<IComponentHealth>>().Single(h => h.Name == "discord").Check().State));
    }

    private static bool AllShardsLive(FakeDiscordServer fake) => Enumerable.Range(0, Shards).All(fake.Gateway.IsShardLive);

    private static List<int> Running(IEnumerable<ClusterProcesses.Process> processes) =>
        [.. processes.Where(p => !p.IsStopped).SelectMany(p => p.Get<DiscordShardSet>().Running.Where(s => s.State == GatewayConnectionState.Connected).Select(s => s.ShardId))];

    private static void AssertEachShardRunOnce(IEnumerable<ClusterProcesses.Process> processes) =>
        Assert.Equal(Enumerable.Range(0, Shards), Running(processes).Order());

    /// <summary>A command in a guild of every shard is answered exactly once (by the one process that runs the shard).</summary>
    private static async Task AssertEveryGuildAnsweredOnceAsync(FakeDiscordServer fake, int round)
    {
        var ids = new List<ulong>();
        for (var shard = 0; shard < Shards; shard++)
        {
            var id = 660_000_000_000_000_000UL + (ulong)(round * 10) + (ulong)shard;
            await fake.Gateway.DispatchAsync("INTERACTION_CREATE", FakeInteractions.SlashCommand(
                id, "help", fake.Options.ApplicationId, fake.GuildOnShard(shard), DiscordBotHarness.ChannelId, DiscordBotHarness.MemberId));
            ids.Add(id);
        }

        await WaitAsync(fake, () => ids.All(id => fake.Callbacks.Any(c => c.InteractionId == id)), "an answer in every shard's guild");
        Assert.All(ids, id => Assert.Single(fake.Callbacks, c => c.InteractionId == id));
    }

    private static Task WaitAsync(FakeDiscordServer fake, Func<bool> condition, string what) =>
        fake.Changed.WaitUntilAsync(condition, what, TimeSpan.FromSeconds(60), recheck: TimeSpan.FromMilliseconds(100));
}
