using System.Collections.Concurrent;
using System.Diagnostics;
using NewsBot.Fakes.Discord;

namespace NewsBot.Benchmarks.Cluster;

/// <summary>A Discord slash command the run sent: to which shard, when, and whether the fake had a session of that shard to put it in.</summary>
public sealed record SentInteraction(ulong Id, int Shard, DateTimeOffset At, bool Dispatched);

/// <summary>A Telegram /help the run queued, from a private chat of its own, so the reply is the next message to that chat.</summary>
public sealed record SentTelegramCommand(long ChatId, DateTimeOffset At);

/// <summary>Whether each shard had a live session at one moment (the fake's view), sampled a few times a second.</summary>
public sealed record ShardSample(DateTimeOffset At, IReadOnlyList<bool> Live);

/// <summary>
/// What users and the world do to the cluster during a run: new feed items at a steady rate, slash commands over the
/// Gateway on every shard in turn, /help in Telegram private chats; and a sampler of which shards have a holder.
/// </summary>
public sealed class ClusterTraffic(ClusterEnvironment environment, ClusterSettings settings)
{
    private const ulong FirstInteraction = 600_000_000_000_100_000;
    private const ulong CommandChannel = 730_000_000_000_000_001;
    private const ulong Member = 720_000_000_000_000_101;
    private const long FirstPrivateChat = 5_000_000_000;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentQueue<SentInteraction> _interactions = new();
    private readonly ConcurrentQueue<SentTelegramCommand> _telegramCommands = new();
    private readonly ConcurrentQueue<ShardSample> _samples = new();

    public IReadOnlyList<SentInteraction> Interactions => [.. _interactions];

    public IReadOnlyList<SentTelegramCommand> TelegramCommands => [.. _telegramCommands];

    public IReadOnlyList<ShardSample> ShardSamples => [.. _samples];

    /// <summary>Samples shard holders until cancelled (start it before the processes, stop it after the drain).</summary>
    public async Task SampleShardsAsync(CancellationToken cancellationToken)
    {
        using var ticks = new PeriodicTimer(SampleEvery);
        try
        {
            do
            {
                var gateway = environment.Discord.Gateway;
                _samples.Enqueue(new ShardSample(TimeProvider.System.GetUtcNow(), [.. Enumerable.Range(0, settings.Shards).Select(gateway.IsShardLive)]));
            }
            while (await ticks.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Sampling ends with the run.
        }
    }

    /// <summary>Feed items and commands until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        environment.Feeds.StartPublishing(TimeSpan.FromSeconds(1 / settings.ItemsPerSecond), 1);
        try
        {
            await Task.WhenAll(SendInteractionsAsync(cancellationToken), SendTelegramCommandsAsync(cancellationToken));
        }
        finally
        {
            environment.Feeds.StopPublishing();
        }
    }

    private async Task SendInteractionsAsync(CancellationToken cancellationToken)
    {
        var fake = environment.Discord;
        await EverySecondFractionAsync(async number =>
        {
            var id = FirstInteraction + (ulong)number;
            var shard = number % settings.Shards;
            var interaction = FakeInteractions.SlashCommand(id, "help", fake.Options.ApplicationId, fake.GuildOnShard(shard), CommandChannel, Member);
            var at = TimeProvider.System.GetUtcNow();
            try
            {
                await fake.Gateway.DispatchAsync("INTERACTION_CREATE", interaction);
                _interactions.Enqueue(new SentInteraction(id, shard, at, Dispatched: true));
            }
            catch (InvalidOperationException)
            {
                // No session of that shard yet: Discord would not deliver it either ("did not respond").
                _interactions.Enqueue(new SentInteraction(id, shard, at, Dispatched: false));
            }
        }, cancellationToken);
    }

    private Task SendTelegramCommandsAsync(CancellationToken cancellationToken) =>
        EverySecondFractionAsync(number =>
        {
            var chat = FirstPrivateChat + number;
            environment.Telegram.EnqueuePrivateMessage(chat, "/help");
            _telegramCommands.Enqueue(new SentTelegramCommand(chat, TimeProvider.System.GetUtcNow()));
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>Calls <paramref name="send"/> with 0, 1, 2, … at <see cref="ClusterSettings.CommandsPerSecond"/> until cancelled.</summary>
    private async Task EverySecondFractionAsync(Func<int, Task> send, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var every = TimeSpan.FromSeconds(1 / settings.CommandsPerSecond);
        try
        {
            for (var number = 0; ; number++)
            {
                await send(number);
                var wait = (every * (number + 1)) - clock.Elapsed;
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }
}
