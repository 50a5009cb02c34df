using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Fakes.Discord;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Platforms.Discord;

/// <summary>The real NewsBot host pointed at a FakeDiscordServer, with a temp database that survives restarts.</summary>
public sealed class DiscordBotHarness : IAsyncDisposable
{
    public const ulong GuildId = 700_000_000_000_000_001;
    public const ulong ChannelId = 710_000_000_000_000_001;
    public const ulong MemberId = 720_000_000_000_000_001;

    /// <summary>ADMINISTRATOR.</summary>
    public const ulong Admin = 0x8;

    /// <summary>VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS.</summary>
    public const ulong CanPost = (1UL << 10) | (1UL << 11) | (1UL << 14);

    private int _nextInteraction;

    private DiscordBotHarness(FakeDiscordServer fake, TempFolder folder, Dictionary<string, string?> settings)
    {
        Fake = fake;
        Folder = folder;
        Settings = settings;
    }

    public FakeDiscordServer Fake { get; }

    /// <summary>The host's settings; change them before <see cref="StartHostAsync"/>.</summary>
    public Dictionary<string, string?> Settings { get; }

    public TempFolder Folder { get; }

    public IHost? Host { get; private set; }

    public IServiceProvider Services => Host!.Services;

    public static async Task<DiscordBotHarness> StartAsync(Dictionary<string, string?>? extra = null, FakeDiscordOptions? fakeOptions = null, bool startHost = true)
    {
        // A real clock with the fake's 150 ms heartbeat flags busy (not dead) connections as zombies on a loaded
        // machine; a longer interval keeps these host-level tests about the adapter. Zombies are tested in the library.
        fakeOptions ??= new FakeDiscordOptions();
        fakeOptions.HeartbeatIntervalMs = Math.Max(fakeOptions.HeartbeatIntervalMs, 5000);
        var fake = await FakeDiscordServer.StartAsync(fakeOptions, TestContext.Current.CancellationToken);
        var settings = new Dictionary<string, string?>
        {
            ["NewsBot:Discord:Token"] = fake.Options.Token,
            ["NewsBot:Discord:ApiBaseUrl"] = fake.ApiBaseUrl,
            ["NewsBot:Console:Enabled"] = "off",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var harness = new DiscordBotHarness(fake, new TempFolder(), settings);
        if (startHost)
        {
            await harness.StartHostAsync();
        }

        return harness;
    }

    public async Task StartHostAsync(Action<HostApplicationBuilder>? configure = null)
    {
        Host = TestHosts.Build(Folder, Settings, configure: configure);
        await Host.StartAsync(TestContext.Current.CancellationToken);
    }

    public async Task StopHostAsync()
    {
        if (Host is { } host)
        {
            await host.StopAsync(TestContext.Current.CancellationToken);
            host.Dispose();
            Host = null;
        }
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Fake.Changed.WaitUntilAsync(condition, what, timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>
    /// Waits until a client holds the latest session of the guild's shard (a dispatch to a session no client holds
    /// is only replayed on a RESUME of it, which a process that identifies anew never makes).
    /// </summary>
    public Task WaitForSessionAsync(ulong guildId = GuildId) =>
        WaitAsync(() => Fake.Gateway.IsShardLive(Fake.Gateway.ShardOf(guildId)), "Gateway session");

    /// <summary>Sends a slash command over the Gateway; returns the interaction id.</summary>
    public async Task<ulong> CommandAsync(string name, JsonObject? options = null, ulong permissions = Admin, ulong appPermissions = CanPost, ulong channelId = ChannelId)
    {
        var id = NextId();
        await WaitForSessionAsync();
        await Fake.Gateway.DispatchAsync("INTERACTION_CREATE", Interaction(id, 2, name, options, permissions, appPermissions, channelId, focused: null));
        return id;
    }

    /// <summary>A slash command whose channel option picks <paramref name="picked"/> (id, type, name…), resolved as Discord sends it.</summary>
    public async Task<ulong> CommandPickingAsync(string name, JsonObject options, JsonObject picked, ulong appPermissions = CanPost)
    {
        var id = NextId();
        var interaction = Interaction(id, 2, name, options, Admin, CanPost, ChannelId, focused: null);
        var channelId = picked["id"]!.GetValue<string>();
        var data = interaction["data"]!.AsObject();
        data["options"]!.AsArray().Add(new JsonObject { ["name"] = "channel", ["type"] = 7, ["value"] = channelId });
        picked["permissions"] = Id(Admin);
        picked["app_permissions"] = Id(appPermissions);
        data["resolved"] = new JsonObject { ["channels"] = new JsonObject { [channelId] = picked } };
        await WaitForSessionAsync();
        await Fake.Gateway.DispatchAsync("INTERACTION_CREATE", interaction);
        return id;
    }

    /// <summary>A slash command typed inside thread <paramref name="threadId"/> of <paramref name="parentId"/>.</summary>
    public async Task<ulong> CommandInThreadAsync(string name, JsonObject options, ulong threadId, ulong parentId, ulong appPermissions = CanPost)
    {
        var id = NextId();
        var interaction = Interaction(id, 2, name, options, Admin, appPermissions, threadId, focused: null);
        interaction["channel"] = new JsonObject { ["id"] = Id(threadId), ["type"] = 11, ["name"] = "thread", ["guild_id"] = Id(GuildId), ["parent_id"] = Id(parentId) };
        await WaitForSessionAsync();
        await Fake.Gateway.DispatchAsync("INTERACTION_CREATE", interaction);
        return id;
    }

    /// <summary>Sends an autocomplete interaction with <paramref name="focused"/> being typed.</summary>
    public async Task<ulong> AutocompleteAsync(string name, string focused, string typed)
    {
        var id = NextId();
        await WaitForSessionAsync();
        await Fake.Gateway.DispatchAsync("INTERACTION_CREATE", Interaction(id, 4, name, new JsonObject { [focused] = typed }, Admin, CanPost, ChannelId, focused));
        return id;
    }

    public static JsonObject Interaction(ulong id, int type, string name, JsonObject? options, ulong permissions, ulong appPermissions, ulong channelId, string? focused)
    {
        var list = new JsonArray();
        foreach (var (key, value) in options ?? [])
        {
            var option = new JsonObject
            {
                ["name"] = key,
                ["type"] = value!.GetValueKind() switch { System.Text.Json.JsonValueKind.Number => 4, System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => 5, _ => 3 },
                ["value"] = value.DeepClone(),
            };
            if (key == focused)
            {
                option["focused"] = true;
            }

            list.Add(option);
        }

        return new JsonObject
        {
            ["id"] = Id(id),
            ["application_id"] = Id(900_000_000_000_000_001),
            ["type"] = type,
            ["token"] = "itoken-" + Id(id),
            ["version"] = 1,
            ["guild_id"] = Id(GuildId),
            ["channel_id"] = Id(channelId),
            ["channel"] = new JsonObject { ["id"] = Id(channelId), ["type"] = 0, ["name"] = "news", ["guild_id"] = Id(GuildId) },
            ["member"] = new JsonObject { ["user"] = new JsonObject { ["id"] = Id(MemberId), ["username"] = "member" }, ["permissions"] = Id(permissions) },
            ["app_permissions"] = Id(appPermissions),
            ["data"] = new JsonObject { ["id"] = "1", ["name"] = name, ["type"] = 1, ["options"] = list },
        };
    }

    public RecordedCallback? CallbackFor(ulong interactionId) => Fake.Callbacks.FirstOrDefault(c => c.InteractionId == interactionId);

    public async ValueTask DisposeAsync()
    {
        await StopHostAsync();
        await Fake.DisposeAsync();
        Folder.Dispose();
    }

    private ulong NextId() => 600_000_000_000_000_000UL + (ulong)Interlocked.Increment(ref _nextInteraction);

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
