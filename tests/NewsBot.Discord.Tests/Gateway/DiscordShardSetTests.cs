using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.Discord.Gateway;
using NewsBot.Fakes.Discord;

namespace NewsBot.Discord.Tests.Gateway;

/// <summary>Several shards in one process against the sharding fake, in fake time.</summary>
public sealed class DiscordShardSetTests
{
    [Fact]
    public async Task Run_RecommendedShardCount_EachShardHoldsASessionAndGetsOnlyItsGuilds()
    {
        var h = await GatewayHarness.StartAsync(o =>
        {
            o.Shards = 3;
            o.MaxConcurrency = 3;
        });
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 3, "READY on three shards");
            for (var shard = 0; shard < 3; shard++)
            {
                await h.Gateway.DispatchAsync("INTERACTION_CREATE", FakeInteractions.SlashCommand(
                    (ulong)(100 + shard), "latest", h.Fake.Options.ApplicationId, h.Fake.GuildOnShard(shard), 5, 6));
            }

            await h.WaitAsync(() => h.Count<InteractionReceived>() == 3, "three interactions");

            Assert.Equal([0, 1, 2], h.Shards.Shards.Select(s => s.ShardId));
            Assert.Equal([0, 1, 2], h.Gateway.ShardSessions.Where(s => s.Live && s.ShardCount == 3).Select(s => s.Shard));
            for (var shard = 0; shard < 3; shard++)
            {
                var received = Assert.Single(h.EventsOf(shard).OfType<InteractionReceived>());
                Assert.Equal((ulong)(100 + shard), received.Interaction.Id);
                var ready = h.EventsOf(shard).OfType<GatewayReady>().Single().Ready;
                Assert.Equal([shard, 3], ready.Shard);
                Assert.All(ready.Guilds!, g => Assert.Equal(shard, DiscordGatewayClient.ShardFor(g.Id, 3)));
            }

            Assert.Equal(0, h.Gateway.OverlappingIdentifies);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Identify_FourShardsTwoBuckets_OnePerBucketEveryFiveSeconds()
    {
        var h = await GatewayHarness.StartAsync(o =>
        {
            o.Shards = 4;
            o.MaxConcurrency = 2;
        });
        try
        {
            await h.AdvanceUntilAsync(() => h.Count<GatewayReady>() == 4, "READY on four shards", step: TimeSpan.FromMilliseconds(100));

            var identifies = h.Gateway.IdentifyRecords;
            Assert.All(identifies, i => Assert.Equal(0, i.Answer));
            Assert.Equal([0, 1, 2, 3], identifies.Select(i => i.Shard).Order());
            // Shards 0 and 1 are in different buckets and do not wait for each other; 2 and 3 follow 5 s (plus the gate's 1 s margin) later, one per bucket.
            // (The fake clock moves while the sockets work, so times are compared with each other, not with the start.)
            var at = identifies.ToDictionary(i => i.Shard, i => i.At);
            Assert.True((at[1] - at[0]).Duration() < TimeSpan.FromSeconds(5), $"shards 0 and 1 identified {at[1] - at[0]} apart");
            foreach (var (first, second) in new[] { (0, 2), (1, 3) })
            {
                var gap = at[second] - at[first];
                Assert.True(gap >= TimeSpan.FromSeconds(5) && gap < TimeSpan.FromSeconds(8), $"shards {first} and {second} (one bucket) identified {gap} apart");
            }
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Fake_IdentifiesFasterThanTheirBucketAllows_AnswersInvalidSession()
    {
        // Without the gate the fake must tell: two shards of one bucket identifying at once get op 9.
        var h = await GatewayHarness.StartAsync(o => o.Shards = 2, replace: s => s.AddSingleton<IIdentifyGate, NoIdentifyGate>());
        try
        {
            await h.WaitAsync(() => h.Gateway.IdentifyRecords.Count >= 2, "two identifies");

            Assert.Contains(h.Gateway.IdentifyRecords, i => i.Answer == RecordedIdentify.RateLimited);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Identify_BudgetSpent_ReportedOnceAndWaitsForReset()
    {
        var h = await GatewayHarness.StartAsync(o =>
        {
            o.Shards = 2;
            o.MaxConcurrency = 2;
            o.SessionStartRemaining = 1;
            o.SessionStartResetAfterMs = 60_000;
        });
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1 && h.Shards.IdentifyGate.BudgetSpent is not null, "one READY, budget spent");
            var spent = h.Shards.IdentifyGate.BudgetSpent!;
            Assert.Equal(h.Time.Start + TimeSpan.FromMinutes(1), spent.ResetAt);
            Assert.Contains("wait until", spent.Describe(), StringComparison.Ordinal);

            await h.AdvanceUntilAsync(() => false, "nothing", limit: TimeSpan.FromSeconds(50)).ContinueWith(_ => { }, TaskScheduler.Default);
            Assert.Single(h.Gateway.IdentifyRecords);
            h.Fake.Options.SessionStartRemaining = 1000;
            await h.AdvanceUntilAsync(() => h.Count<GatewayReady>() == 2, "READY after the reset", step: TimeSpan.FromSeconds(1));

            Assert.All(h.Gateway.IdentifyRecords, i => Assert.Equal(0, i.Answer));
            Assert.True(h.Gateway.IdentifyRecords[1].At >= spent.ResetAt);
            Assert.Null(h.Shards.IdentifyGate.BudgetSpent);
            var warning = Assert.Single(h.Logs, r => r.Level == LogLevel.Warning && r.Message.Contains("session start budget", StringComparison.Ordinal));
            Assert.Contains("1000 identifies a day", warning.Message, StringComparison.Ordinal);
            Assert.Single(h.Logs, r => r.Message.Contains("budget is renewed", StringComparison.Ordinal));
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Theory]
    [InlineData(1, 4011, "NewsBot:Discord:ShardCount")]
    [InlineData(3, 4010, "NewsBot:Discord:Shards")]
    public async Task Identify_ShardCountDiscordRefuses_StopsAllShardsWithTheSettingNamed(int configured, int closeCode, string setting)
    {
        var h = await GatewayHarness.StartAsync(o =>
        {
            o.Shards = 2;
            o.MaxConcurrency = 4;
        }, client: c => c.ShardCount = configured);
        try
        {
            var fatal = await h.Run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

            Assert.Equal(closeCode, fatal?.CloseCode);
            Assert.Contains(setting, fatal!.Message, StringComparison.Ordinal);
            Assert.All(h.Shards.Shards, s => Assert.Equal(GatewayConnectionState.Stopped, s.State));
            Assert.Empty(h.Gateway.ShardSessions);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Plan_SubsetOfShards_RunsOnlyThoseAndRoutesTheirGuildsOnly()
    {
        var h = await GatewayHarness.StartAsync(o =>
        {
            o.Shards = 4;
            o.MaxConcurrency = 4;
        }, client: c => c.Shards = "1-2/4");
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 2, "READY on shards 1 and 2");

            Assert.Equal([1, 2], h.Gateway.ShardSessions.Select(s => s.Shard));
            Assert.False(h.Gateway.IsShardLive(0));
            await Assert.ThrowsAsync<InvalidOperationException>(() => h.Gateway.DispatchAsync("GUILD_DELETE", new JsonObject { ["id"] = h.Fake.GuildOnShard(3).ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Run_OneShardFailsWithABug_StopsTheOthersAndThrows()
    {
        var h = await GatewayHarness.StartAsync(o =>
        {
            o.Shards = 2;
            o.MaxConcurrency = 2;
        }, replace: s => s.AddSingleton<IGatewaySocketFactory>(new FailingSecondSocket()));
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

            Assert.Equal("bug", error.Message);
            // Run only ends once every shard's run has: the healthy one was stopped, not left running alone.
            Assert.Contains(h.Shards.Shards, s => s.State == GatewayConnectionState.Stopped);
        }
        finally
        {
            await h.StopAsync();
            await h.Fake.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("0-3/8", new[] { 0, 1, 2, 3 }, 8)]
    [InlineData("0, 2, 5-6/8", new[] { 0, 2, 5, 6 }, 8)]
    [InlineData("3/4", new[] { 3 }, 4)]
    public void ShardSelection_Valid_Parsed(string text, int[] ids, int count)
    {
        Assert.True(ShardSelection.TryParse(text, out var selection, out _));
        Assert.Equal(ids, selection!.Ids);
        Assert.Equal(count, selection.Count);
    }

    [Theory]
    [InlineData("0-3", "slash")]
    [InlineData("0-8/8", "from 0 to 7")]
    [InlineData("a/8", "\"a\"")]
    [InlineData("3-1/8", "\"3-1\"")]
    [InlineData("1/0", "slash")]
    public void ShardSelection_Invalid_SaysWhy(string text, string expected)
    {
        Assert.False(ShardSelection.TryParse(text, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    /// <summary>A gate that lets every shard identify at once, as a client without one would.</summary>
    private sealed class NoIdentifyGate : IIdentifyGate
    {
        public IdentifyBudgetSpent? BudgetSpent => null;

        public Task<IIdentifyTurn> WaitForTurnAsync(int shardId, CancellationToken cancellationToken) => Task.FromResult<IIdentifyTurn>(new Turn());

        private sealed class Turn : IIdentifyTurn
        {
            public void Identified()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>Real sockets, except that the second one asked for throws, as a bug would.</summary>
    private sealed class FailingSecondSocket : IGatewaySocketFactory
    {
        private readonly ClientWebSocketFactory _real = new();
        private int _created;

        public IGatewaySocket Create() => Interlocked.Increment(ref _created) == 2 ? throw new InvalidOperationException("bug") : _real.Create();
    }
}
