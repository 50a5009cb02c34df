using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Discord.Gateway;
using NewsBot.Fakes.Discord;

namespace NewsBot.Discord.Tests.Gateway;

/// <summary>
/// A real DiscordShardSet (one shard unless the fake or <c>client</c> options say more) against the fake over loopback
/// WebSockets, on a FakeTimeProvider so heartbeats, backoffs and identify spacing run in fake time.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(int Shard, GatewayEvent Event)> _events = new();
    private readonly ServiceProvider _services;
    private Task _pump = Task.CompletedTask;

    private GatewayHarness(FakeDiscordServer fake, FakeTimeProvider time, ServiceProvider services)
    {
        Fake = fake;
        Time = time;
        _services = services;
        Shards = services.GetRequiredService<DiscordShardSet>();
    }

    public FakeDiscordServer Fake { get; }
    public FakeDiscordGateway Gateway => Fake.Gateway;
    public FakeTimeProvider Time { get; }
    public DiscordShardSet Shards { get; }

    /// <summary>The first shard (the only one unless more were asked for).</summary>
    public DiscordGatewayClient Client => Shards.Shards[0];
    public Task<GatewayFatalError?> Run { get; private set; } = Task.FromResult<GatewayFatalError?>(null);
    public IReadOnlyList<GatewayEvent> Events => [.. _events.Select(e => e.Event)];

    public IReadOnlyList<GatewayEvent> EventsOf(int shard) => [.. _events.Where(e => e.Shard == shard).Select(e => e.Event)];

    public IReadOnlyList<FakeLogRecord> Logs => _services.GetRequiredService<FakeLogCollector>().GetSnapshot();

    public static async Task<GatewayHarness> StartAsync(Action<FakeDiscordOptions>? fake = null, double jitter = 0.5,
        GatewaySession? restore = null, FakeDiscordServer? sharedFake = null, Action<DiscordClientOptions>? client = null,
        Action<IServiceCollection>? replace = null)
    {
        var time = sharedFake?.Options.Time as FakeTimeProvider ?? new FakeTimeProvider();
        var server = sharedFake;
        if (server is null)
        {
            var options = new FakeDiscordOptions { HeartbeatIntervalMs = 40_000, Time = time };
            fake?.Invoke(options);
            server = await FakeDiscordServer.StartAsync(options, TestContext.Current.CancellationToken);
        }

        var services = DiscordTestServices.Build(server, client, time: time, random: new FixedRandom(jitter), replace: replace);
        var harness = new GatewayHarness(server, time, services);
        if (await harness.Shards.PlanAsync(TestContext.Current.CancellationToken) is { } planFailed)
        {
            throw new InvalidOperationException("Shards not planned: " + planFailed.Message);
        }

        if (restore is not null)
        {
            harness.Client.RestoreSession(restore);
        }

        harness._pump = harness.PumpAsync();
        harness.Run = harness.Shards.RunAsync(harness._stop.Token);
        return harness;
    }

    public int Count<T>() where T : GatewayEvent => _events.Count(e => e.Event is T);

    /// <summary>Waits (real time, event-driven) until the condition holds.</summary>
    public async Task WaitAsync(Func<bool> condition, string what)
    {
        try
        {
            await Fake.Changed.WaitUntilAsync(condition, what);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; client events: {string.Join(", ", _events)}; run: {Run.Status} {Run.Exception?.InnerException}; connections: {string.Join(" ", Gateway.ConnectionUrls)}; identifies {Gateway.Identifies.Count}; violations: {string.Join("; ", Fake.Violations)}; fake errors: {string.Join("; ", Gateway.Errors)}", ex);
        }
    }

    /// <summary>Advances fake time in steps until the condition holds, giving the real sockets a moment between steps.</summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, string what, TimeSpan? step = null, TimeSpan? limit = null)
    {
        var advanced = TimeSpan.Zero;
        var stepSize = step ?? TimeSpan.FromMilliseconds(250);
        var max = limit ?? TimeSpan.FromMinutes(3);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (advanced >= max || deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"{what} did not happen within {advanced} of fake time");
            }

            Time.Advance(stepSize);
            advanced += stepSize;
            // Let socket I/O triggered by the timers run before the next step.
            var changed = Fake.Changed.WaitUntilAsync(condition, what, TimeSpan.FromMilliseconds(5));
            await changed.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public Task StopAsync() => _stop.CancelAsync();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await _pump.WaitAsync(TimeSpan.FromSeconds(10));
            await _services.DisposeAsync();
            _stop.Dispose();
        }
    }

    public async Task DisposeWithServerAsync()
    {
        await DisposeAsync();
        await Fake.DisposeAsync();
    }

    private Task PumpAsync() => Task.WhenAll(Shards.Shards.Select(async shard =>
    {
        try
        {
            await foreach (var item in shard.Events.ReadAllAsync(_stop.Token))
            {
                _events.Enqueue((shard.ShardId, item));
                Fake.Changed.Pulse();
            }
        }
        catch (OperationCanceledException)
        {
            // Harness disposed.
        }
    }));
}
