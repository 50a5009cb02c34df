using NewsBot.Fakes.Discord;
using NewsBot.Platforms;

namespace NewsBot.Tests.Platforms.Discord;

/// <summary>The real host running several Gateway shards against the sharding fake.</summary>
public sealed class DiscordShardingEndToEndTests
{
    [Fact]
    public async Task Commands_GuildsOnThreeShards_EachAnsweredExactlyOnceAndCommandsRegisteredOnce()
    {
        await using var bot = await DiscordBotHarness.StartAsync(fakeOptions: new FakeDiscordOptions { Shards = 3, MaxConcurrency = 3 });
        var guilds = Enumerable.Range(0, 3).Select(shard => bot.Fake.GuildOnShard(shard)).ToList();
        foreach (var guild in guilds)
        {
            await bot.WaitForSessionAsync(guild);
        }

        var interactions = new List<ulong>();
        foreach (var (guild, index) in guilds.Select((g, i) => (g, i)))
        {
            var id = 650_000_000_000_000_000UL + (ulong)index;
            await bot.Fake.Gateway.DispatchAsync("INTERACTION_CREATE", FakeInteractions.SlashCommand(
                id, "help", bot.Fake.Options.ApplicationId, guild, DiscordBotHarness.ChannelId + (ulong)index, DiscordBotHarness.MemberId));
            interactions.Add(id);
        }

        await bot.WaitAsync(() => interactions.All(id => bot.CallbackFor(id) is not null), "answers on every shard");

        Assert.All(interactions, id => Assert.Single(bot.Fake.Callbacks, c => c.InteractionId == id));
        Assert.Equal([0, 1, 2], bot.Fake.Gateway.ShardSessions.Where(s => s.Live && s.ShardCount == 3).Select(s => s.Shard));
        Assert.Equal(3, bot.Fake.Gateway.IdentifyRecords.Count);
        Assert.Equal(0, bot.Fake.Gateway.OverlappingIdentifies);
        Assert.Single(bot.Fake.CommandSets);
        var health = bot.Get<IEnumerable<IComponentHealth>>().Single(h => h.Name == "discord").Check();
        Assert.Equal(new ComponentHealth(HealthState.Ok, "3 of 3 shards"), health);
    }

    [Fact]
    public async Task Commands_ConfiguredSubset_RunsOnlyThoseShards()
    {
        await using var bot = await DiscordBotHarness.StartAsync(
            new() { ["NewsBot:Discord:Shards"] = "1/2" },
            new FakeDiscordOptions { Shards = 2 });
        var guild = bot.Fake.GuildOnShard(1);
        await bot.WaitForSessionAsync(guild);
        await bot.Fake.Gateway.DispatchAsync("INTERACTION_CREATE", FakeInteractions.SlashCommand(
            651_000_000_000_000_000UL, "help", bot.Fake.Options.ApplicationId, guild, DiscordBotHarness.ChannelId, DiscordBotHarness.MemberId));

        await bot.WaitAsync(() => bot.CallbackFor(651_000_000_000_000_000UL) is not null, "answer on shard 1");

        var identify = Assert.Single(bot.Fake.Gateway.IdentifyRecords);
        Assert.Equal((1, 2), (identify.Shard, identify.ShardCount));
        Assert.False(bot.Fake.Gateway.IsShardLive(0));
        var health = bot.Get<IEnumerable<IComponentHealth>>().Single(h => h.Name == "discord").Check();
        Assert.Equal(new ComponentHealth(HealthState.Ok, "1 of 2 shards"), health);
    }

    [Fact]
    public async Task Health_SessionStartBudgetSpent_DiscordDownWithTheResetTime()
    {
        await using var bot = await DiscordBotHarness.StartAsync(fakeOptions: new FakeDiscordOptions
        {
            Shards = 2,
            MaxConcurrency = 2,
            SessionStartRemaining = 1,
            SessionStartResetAfterMs = 3_600_000,
        });
        var discord = bot.Get<IEnumerable<IComponentHealth>>().Single(h => h.Name == "discord");

        await bot.WaitAsync(() => discord.Check().State == HealthState.Down && bot.Fake.Gateway.ShardSessions.Count(s => s.Live) == 1, "one shard live, Discord down for the spent budget");

        var health = discord.Check();
        Assert.Contains("session start budget (1000 identifies a day) is spent", health.Detail, StringComparison.Ordinal);
        Assert.Contains("wait until", health.Detail, StringComparison.Ordinal);
        Assert.Single(bot.Fake.Gateway.IdentifyRecords);
        Assert.DoesNotContain(bot.Fake.Gateway.IdentifyRecords, i => i.Answer == 4004);
    }
}
