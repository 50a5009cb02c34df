using System.Text.Json.Nodes;
using NewsBot.Discord.Gateway;

namespace NewsBot.Discord.Tests.Gateway;

public sealed class DiscordGatewayClientTests
{
    [Fact]
    public async Task Run_FirstConnect_IdentifiesAndAssemblesLargeReady()
    {
        var h = await GatewayHarness.StartAsync(o => o.ReadyGuildCount = 300);
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");

            var identify = Assert.Single(h.Gateway.Identifies);
            Assert.Equal(h.Fake.Options.Token, identify["token"]!.GetValue<string>());
            Assert.Equal(1, identify["intents"]!.GetValue<int>());
            Assert.Equal("[0,1]", identify["shard"]!.ToJsonString());
            Assert.NotNull(identify["properties"]!["os"]);
            Assert.NotNull(identify["properties"]!["browser"]);
            Assert.NotNull(identify["properties"]!["device"]);
            Assert.Equal("/gateway/?v=10&encoding=json", Assert.Single(h.Gateway.ConnectionUrls));
            var ready = h.Events.OfType<GatewayReady>().Single().Ready;
            Assert.Equal(300, ready.Guilds!.Count);
            Assert.Equal(h.Gateway.LatestSessionId, h.Client.Session!.SessionId);
            Assert.Equal(h.Fake.Options.ApplicationId, ready.Application!.Id);
            Assert.Equal(GatewayConnectionState.Connected, h.Client.State);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Dispatch_InteractionGuildAndChannelDeletes_BecomeEvents()
    {
        var h = await GatewayHarness.StartAsync();
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");

            await h.Gateway.DispatchAsync("INTERACTION_CREATE", Interaction("555"));
            await h.Gateway.DispatchAsync("GUILD_DELETE", new JsonObject { ["id"] = "700" });
            await h.Gateway.DispatchAsync("GUILD_DELETE", new JsonObject { ["id"] = "701", ["unavailable"] = true });
            await h.Gateway.DispatchAsync("CHANNEL_DELETE", new JsonObject { ["id"] = "800", ["type"] = 0, ["guild_id"] = "700" });
            await h.WaitAsync(() => h.Count<ChannelDeleted>() == 1, "CHANNEL_DELETE");

            var interaction = h.Events.OfType<InteractionReceived>().Single().Interaction;
            Assert.Equal(555UL, interaction.Id);
            Assert.Equal(0x20UL | 0x800UL, interaction.Member!.Permissions);
            Assert.Equal(0x4C00UL, interaction.AppPermissions);
            var sub = Assert.Single(interaction.Data!.Options!);
            Assert.Equal("add", sub.Name);
            Assert.True(sub.Options![1].Focused);
            Assert.Equal(0x4C00UL, interaction.Data.Resolved!.Channels!["123"].AppPermissions);
            var guilds = h.Events.OfType<GuildDeleted>().ToList();
            Assert.Equal([new GuildDeleted(700, false), new GuildDeleted(701, true)], guilds);
            Assert.Equal(700UL, h.Events.OfType<ChannelDeleted>().Single().Channel.GuildId);
            Assert.Equal(h.Gateway.LatestSequence, h.Client.Session!.Sequence);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Heartbeat_FirstAfterIntervalTimesJitter_ServerRequestAnsweredAtOnce()
    {
        var h = await GatewayHarness.StartAsync(jitter: 0.5);
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");

            h.Time.Advance(TimeSpan.FromMilliseconds(19_900));
            Assert.Equal(0, h.Gateway.Heartbeats);
            h.Time.Advance(TimeSpan.FromMilliseconds(100));
            await h.WaitAsync(() => h.Gateway.Heartbeats == 1, "first heartbeat at 40 s × 0.5");
            await h.Gateway.RequestHeartbeatAsync();
            await h.WaitAsync(() => h.Gateway.Heartbeats == 2, "heartbeat on op 1");
            h.Time.Advance(TimeSpan.FromSeconds(40));
            await h.WaitAsync(() => h.Gateway.Heartbeats == 3, "heartbeat one interval later");
            Assert.Equal(GatewayConnectionState.Connected, h.Client.State);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Heartbeat_NoAck_ClosesNon1000AndResumesWithLastSequence()
    {
        var h = await GatewayHarness.StartAsync();
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");
            await h.Gateway.DispatchAsync("INTERACTION_CREATE", Interaction("1"));
            await h.WaitAsync(() => h.Count<InteractionReceived>() == 1, "interaction");
            var lastSeq = h.Gateway.LatestSequence;
            h.Gateway.AckHeartbeats = false;

            await h.AdvanceUntilAsync(() => h.Gateway.Resumes.Count == 1, "resume after zombie");
            h.Gateway.AckHeartbeats = true;
            await h.WaitAsync(() => h.Count<GatewayResumed>() == 1, "RESUMED");

            Assert.Contains(h.Gateway.ClientCloseCodes, c => c is not null and not 1000 and not 1001);
            Assert.Equal(lastSeq, h.Gateway.Resumes[0].Seq);
            Assert.Equal(h.Gateway.LatestSessionId, h.Gateway.Resumes[0].SessionId);
            Assert.Single(h.Gateway.Identifies);
            Assert.StartsWith("/resume-gateway/?v=10&encoding=json", h.Gateway.ConnectionUrls[^1]);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Reconnect_Op7_ResumesAndReceivesMissedEventsOnce()
    {
        var h = await GatewayHarness.StartAsync();
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");
            await h.Gateway.DispatchAsync("INTERACTION_CREATE", Interaction("1"));
            await h.WaitAsync(() => h.Count<InteractionReceived>() == 1, "first interaction");

            await h.Gateway.SendReconnectAsync();
            await h.Gateway.DispatchAsync("INTERACTION_CREATE", Interaction("2"));
            await h.AdvanceUntilAsync(() => h.Count<GatewayResumed>() == 1, "RESUMED");
            await h.WaitAsync(() => h.Count<InteractionReceived>() >= 2, "missed interaction");

            Assert.Equal([1UL, 2UL], h.Events.OfType<InteractionReceived>().Select(e => e.Interaction.Id));
            Assert.Single(h.Gateway.Identifies);
            Assert.Equal(2, h.Gateway.Resumes[0].Seq);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task InvalidSession_Resumable_ResumesWithoutIdentify()
    {
        var h = await GatewayHarness.StartAsync();
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");

            await h.Gateway.SendInvalidSessionAsync(resumable: true);
            await h.AdvanceUntilAsync(() => h.Count<GatewayResumed>() == 1, "RESUMED");

            Assert.Single(h.Gateway.Identifies);
            Assert.Single(h.Gateway.Resumes);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task InvalidSession_NotResumable_IdentifiesAgainAfterWaitAndSpacing()
    {
        var h = await GatewayHarness.StartAsync();
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");

            await h.Gateway.SendInvalidSessionAsync(resumable: false);
            await h.AdvanceUntilAsync(() => h.Count<GatewayReady>() == 2, "second READY");

            Assert.Empty(h.Gateway.Resumes);
            Assert.Equal(2, h.Gateway.Identifies.Count);
            var times = h.Gateway.IdentifyTimes;
            Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(5), $"identifies only {times[1] - times[0]} apart");
            Assert.StartsWith("/gateway/", h.Gateway.ConnectionUrls[^1]);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task InvalidSession_NotResumable_HeartbeatShorterThanIdentifySpacing_IdentifiesOnceWithoutZombieClose()
    {
        // The second identify must wait for the 5 s spacing; heartbeats every second must not see that wait as a zombie.
        var h = await GatewayHarness.StartAsync(o => o.HeartbeatIntervalMs = 1000);
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");

            await h.Gateway.SendInvalidSessionAsync(resumable: false);
            await h.AdvanceUntilAsync(() => h.Count<GatewayReady>() == 2, "second READY");
            await h.AdvanceUntilAsync(() => h.Gateway.Heartbeats >= 6, "heartbeats on the new session", step: TimeSpan.FromMilliseconds(100));

            Assert.Equal(2, h.Gateway.Identifies.Count);
            Assert.Equal([DiscordGatewayClient.ResumableCloseCode], h.Gateway.ClientCloseCodes);
            Assert.Equal(2, h.Gateway.ConnectionUrls.Count);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Drop_ManyTimesBeforeResumeCompletes_KeepsResumingWithoutIdentify()
    {
        var h = await GatewayHarness.StartAsync();
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");
            var session = h.Gateway.LatestSessionId;

            // Each resume connection dies before RESUMED: backoff grows, yet the session must be kept.
            for (var drop = 1; drop <= 5; drop++)
            {
                var connections = h.Gateway.ConnectionUrls.Count;
                h.Gateway.Drop();
                await h.AdvanceUntilAsync(() => h.Gateway.ConnectionUrls.Count > connections && h.Gateway.IsConnected, $"reconnect {drop}", step: TimeSpan.FromSeconds(1));
                h.Fake.Options.SendHello = drop == 5;
                // The client answers a heartbeat request only once its side of the handshake is done: the next drop
                // is then of a connected socket (a URL that never completes a handshake is given up after two tries).
                var heartbeats = h.Gateway.Heartbeats;
                await h.Gateway.RequestHeartbeatAsync();
                await h.WaitAsync(() => h.Gateway.Heartbeats > heartbeats, $"heartbeat on reconnect {drop}");
            }

            await h.AdvanceUntilAsync(() => h.Count<GatewayResumed>() == 1, "RESUMED", step: TimeSpan.FromSeconds(1));

            Assert.Single(h.Gateway.Identifies);
            Assert.All(h.Gateway.Resumes, r => Assert.Equal(session, r.SessionId));
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Close4000_Resumes()
    {
        var h = await GatewayHarness.StartAsync();
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");

            await h.Gateway.CloseAsync(4000, "Unknown error");
            await h.AdvanceUntilAsync(() => h.Count<GatewayResumed>() == 1, "RESUMED");

            Assert.Single(h.Gateway.Identifies);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Connect_NoHello_GivesUpAfterTimeoutAndReconnects()
    {
        var h = await GatewayHarness.StartAsync(o => o.SendHello = false);
        try
        {
            await h.WaitAsync(() => h.Gateway.ConnectionUrls.Count == 1, "first connection");
            h.Fake.Options.SendHello = true;

            await h.AdvanceUntilAsync(() => h.Count<GatewayReady>() == 1, "READY on the second connection", step: TimeSpan.FromSeconds(1));

            Assert.Equal(2, h.Gateway.ConnectionUrls.Count);
            Assert.True(h.Time.GetUtcNow() - h.Time.Start >= TimeSpan.FromSeconds(60));
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Drop_WithoutCloseFrame_Resumes()
    {
        var h = await GatewayHarness.StartAsync();
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");

            h.Gateway.Drop();
            await h.AdvanceUntilAsync(() => h.Count<GatewayResumed>() == 1, "RESUMED");

            Assert.Single(h.Gateway.Identifies);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Theory]
    [InlineData(4004, "NewsBot:Discord:Token")]
    [InlineData(4013, "NewsBot:Discord:Intents")]
    [InlineData(4014, "Developer Portal")]
    public async Task Identify_FatalCloseCode_StopsWithMessageAndNoRetry(int code, string expected)
    {
        var h = await GatewayHarness.StartAsync(_ => { });
        try
        {
            h.Gateway.CloseNextIdentifyWith(code);

            var fatal = await h.Run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

            Assert.NotNull(fatal);
            Assert.Equal(code, fatal.CloseCode);
            Assert.Contains(expected, fatal.Message, StringComparison.Ordinal);
            Assert.Single(h.Gateway.Identifies);
            Assert.Equal(GatewayConnectionState.Stopped, h.Client.State);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Identify_BudgetSpent_WaitsForResetInsteadOfIdentifying()
    {
        var h = await GatewayHarness.StartAsync(o =>
        {
            o.SessionStartRemaining = 0;
            o.SessionStartResetAfterMs = 30_000;
        });
        try
        {
            await h.AdvanceUntilAsync(() => false, "nothing", limit: TimeSpan.FromSeconds(25)).ContinueWith(_ => { }, TaskScheduler.Default);
            // The wait happens before connecting, so no idle socket misses heartbeat ACKs meanwhile.
            Assert.Empty(h.Gateway.ConnectionUrls);
            Assert.Empty(h.Gateway.Identifies);

            h.Fake.Options.SessionStartRemaining = 10;
            await h.AdvanceUntilAsync(() => h.Count<GatewayReady>() == 1, "READY after reset");

            Assert.True(h.Gateway.IdentifyTimes[0] - h.Time.Start >= TimeSpan.FromSeconds(30));
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task RestoreSession_NewClient_ResumesInsteadOfIdentifying()
    {
        var first = await GatewayHarness.StartAsync();
        await first.WaitAsync(() => first.Count<GatewayReady>() == 1, "READY");
        await first.Gateway.DispatchAsync("INTERACTION_CREATE", Interaction("1"));
        await first.WaitAsync(() => first.Count<InteractionReceived>() == 1, "interaction");
        var saved = first.Client.Session!;
        await first.DisposeAsync();

        var second = await GatewayHarness.StartAsync(restore: saved, sharedFake: first.Fake);
        try
        {
            await second.WaitAsync(() => second.Count<GatewayResumed>() == 1, "RESUMED");

            Assert.Single(second.Gateway.Identifies);
            Assert.Equal(saved.SessionId, second.Gateway.Resumes[^1].SessionId);
            Assert.Equal(saved.Sequence, second.Gateway.Resumes[^1].Seq);
        }
        finally
        {
            await second.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task UpdatePresence_OversizedPayload_RefusedLocally()
    {
        var h = await GatewayHarness.StartAsync();
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");

            var tooLarge = await h.Client.UpdatePresenceAsync(new string('x', 5000), TestContext.Current.CancellationToken);
            var fine = await h.Client.UpdatePresenceAsync("Reading the news", TestContext.Current.CancellationToken);
            await h.WaitAsync(() => h.Gateway.PresenceUpdates == 1, "presence");

            Assert.False(tooLarge);
            Assert.True(fine);
            Assert.True(h.Gateway.IsConnected);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task UpdatePresence_MoreThan115InAMinute_WaitsForTheWindow()
    {
        var h = await GatewayHarness.StartAsync();
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");
            var ct = TestContext.Current.CancellationToken;

            // Identify already used one of the 120 slots; ordinary events get 115 of them.
            for (var i = 0; i < 114; i++)
            {
                Assert.True(await h.Client.UpdatePresenceAsync($"s{i}", ct));
            }

            var blocked = h.Client.UpdatePresenceAsync("one too many", ct);
            await h.WaitAsync(() => h.Gateway.PresenceUpdates == 114, "114 presence updates");
            Assert.False(blocked.IsCompleted);
            await h.AdvanceUntilAsync(() => blocked.IsCompleted, "send window to reopen", step: TimeSpan.FromSeconds(5));

            Assert.True(await blocked);
            Assert.True(h.Time.GetUtcNow() - h.Time.Start >= TimeSpan.FromSeconds(60));
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    private static JsonObject Interaction(string id) => new()
    {
        ["id"] = id,
        ["application_id"] = "900000000000000001",
        ["type"] = 2,
        ["token"] = "tok-" + id,
        ["version"] = 1,
        ["guild_id"] = "700",
        ["channel_id"] = "123",
        ["app_permissions"] = "19456",
        ["member"] = new JsonObject { ["user"] = new JsonObject { ["id"] = "42", ["username"] = "ann" }, ["permissions"] = "2080" },
        ["data"] = new JsonObject
        {
            ["id"] = "1",
            ["name"] = "subscribe",
            ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject
            {
                ["name"] = "add",
                ["type"] = 1,
                ["options"] = new JsonArray(
                    new JsonObject { ["name"] = "channel", ["type"] = 7, ["value"] = "123" },
                    new JsonObject { ["name"] = "feed", ["type"] = 3, ["value"] = "htt", ["focused"] = true }),
            }),
            ["resolved"] = new JsonObject
            {
                ["channels"] = new JsonObject
                {
                    ["123"] = new JsonObject { ["id"] = "123", ["type"] = 0, ["name"] = "news", ["permissions"] = "2080", ["app_permissions"] = "19456" },
                },
            },
        },
    };
}
