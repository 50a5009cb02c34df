using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Gateway;
using NewsBot.Discord.Rest;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Platforms.Discord;

/// <summary>
/// Keeps the Gateway connections of this process's shards (all of them, or NewsBot:Discord:Shards; in a cluster the
/// share the <see cref="IShardAllotment"/> grants): restores each shard's saved session so a restart (or the process
/// that takes the shard over) resumes instead of identifying, registers commands once (in a cluster only the process
/// that leads <see cref="CommandsRole"/>), answers the interactions its shards receive, and pauses channels the bot lost. A fatal close (bad token, disallowed intents, a shard
/// count Discord refuses) stops the Discord adapter, not NewsBot. Reports Discord's part of /healthz.
/// </summary>
public sealed partial class DiscordGatewayService(
    DiscordShardSet shards,
    DiscordRestClient rest,
    DiscordCommandRegistrar registrar,
    DiscordInteractionHandler interactions,
    DiscordAdapterState adapter,
    IPlatformStateStore state,
    IChannelStore channels,
    ISubscriptionStore subscriptions,
    ILeadership leadership,
    TimeProvider time,
    IOptions<DiscordOptions> options,
    ILogger<DiscordGatewayService> logger) : BackgroundService, IComponentHealth, IShardLifecycle
{
    /// <summary>The <see cref="ILeadership"/> role of the one process that registers the application commands.</summary>
    public const string CommandsRole = "discord.commands";

    private static readonly TimeSpan FirstConnectionWait = TimeSpan.FromSeconds(30);

    /// <summary>Where a single-shard bot keeps its session (the key from before sharding, so an upgrade still resumes).</summary>
    public const string SessionKey = "gateway.session";

    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly ConcurrentDictionary<int, (CancellationTokenSource Stop, Task Reading)> _readers = new();
    private readonly SemaphoreSlim _registering = new(1, 1);
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _leadsCommands;
    // The application id in use: configured, from READY, or from GET /applications/@me.
    private ulong? _applicationId = options.Value.ApplicationId;
    private bool _commandsChecked;

    public string Name => "discord";

    /// <summary>The platform_state key of a shard's session; a bot of one shard keeps <see cref="SessionKey"/>.</summary>
    public static string SessionKeyFor(int shardId, int shardCount) =>
        shardCount == 1 ? SessionKey : string.Create(CultureInfo.InvariantCulture, $"{SessionKey}:{shardId}/{shardCount}");

    public ComponentHealth Check()
    {
        if (adapter.StopReason is { } stopped)
        {
            return new ComponentHealth(HealthState.Stopped, stopped);
        }

        if (shards.Outage is { } outage)
        {
            return new ComponentHealth(HealthState.Down, string.Create(CultureInfo.InvariantCulture,
                $"Gateway unreachable since {outage.Since:u} ({outage.FailedAttempts} failed attempts, last: {outage.LastError}); next attempt at {outage.NextAttemptAt:u}"));
        }

        if (shards.ShardCount == 0)
        {
            return new ComponentHealth(HealthState.Starting, "getting the shard count");
        }

        // In a cluster a process may run none of the shards: the others run them.
        var running = shards.Running;
        var waiting = running.Where(s => s.State != GatewayConnectionState.Connected).ToList();
        var size = running.Count == 1 && shards.ShardCount == 1 ? null
            : string.Create(CultureInfo.InvariantCulture, $"{running.Count} of {shards.ShardCount} shards");
        if (waiting.Count == 0)
        {
            return new ComponentHealth(HealthState.Ok, size);
        }

        // A spent session start budget keeps shards offline for hours: that is down, not starting.
        if (shards.IdentifyGate.BudgetSpent is { } spent)
        {
            return new ComponentHealth(HealthState.Down, spent.Describe());
        }

        var states = string.Join(", ", waiting.Select(s => running.Count == 1 ? s.State.ToString().ToLowerInvariant()
            : string.Create(CultureInfo.InvariantCulture, $"shard {s.ShardId} {s.State.ToString().ToLowerInvariant()}")));
        return new ComponentHealth(HealthState.Starting, size is null ? states : $"{size}: {states}");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (adapter.IsStopped)
        {
            // A malformed token: already reported, nothing to connect with.
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, adapter.Stopping);
        var token = linked.Token;
        GatewayFatalError? fatal;
        try
        {
            fatal = await shards.PlanAsync(token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }

        if (fatal is not null)
        {
            adapter.Stop(fatal.Message);
            return;
        }

        using var commandsStop = CancellationTokenSource.CreateLinkedTokenSource(token);
        Track(RegisterCommandsWhenLeadingAsync(commandsStop.Token));
        try
        {
            fatal = await shards.RunAsync(token, this);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug in the Gateway must not end NewsBot (the host stops when a hosted service throws): stop Discord only.
            LogGatewayCrashed(logger, ex);
            fatal = new GatewayFatalError(null, "discord.gateway_crashed", "the Discord Gateway client failed unexpectedly (see the error above)");
        }
        finally
        {
            await commandsStop.CancelAsync();
            await Task.WhenAll(_running.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (fatal is not null)
        {
            adapter.Stop(fatal.Message);
        }
    }

    /// <summary>Restores the shard's saved session (its own from an earlier run, or the one of the process that held it before) and reads its events.</summary>
    async Task IShardLifecycle.StartingAsync(DiscordGatewayClient shard, CancellationToken cancellationToken)
    {
        if (await LoadSessionAsync(shard, cancellationToken) is { } saved)
        {
            shard.RestoreSession(saved);
        }

        var stop = new CancellationTokenSource();
        _readers[shard.ShardId] = (stop, ReadEventsAsync(shard, stop.Token));
    }

    /// <summary>Saves the last sequence so the next run of the shard, here or in another process, resumes and receives what it missed.</summary>
    async Task IShardLifecycle.StoppedAsync(DiscordGatewayClient shard)
    {
        if (_readers.TryRemove(shard.ShardId, out var reader))
        {
            await reader.Stop.CancelAsync();
            await reader.Reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            reader.Stop.Dispose();
        }

        try
        {
            await SaveSessionAsync(shard, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSessionNotSaved(logger, shard.ShardId, ex);
        }
    }

    /// <summary>
    /// Registers the commands once this process leads <see cref="CommandsRole"/> (at once when it runs alone): at the first
    /// READY/RESUMED of its shards (which names the application), or after <see cref="FirstConnectionWait"/> when none
    /// came (a cluster process may run no shard; it asks GET /applications/@me). The role is kept for the life of the
    /// process: one that takes it over after a death finds the stored hash unchanged and registers nothing.
    /// </summary>
    private async Task RegisterCommandsWhenLeadingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await leadership.WaitToLeadAsync(CommandsRole, cancellationToken);
            _leadsCommands = true;
            await Task.WhenAny(_connected.Task, Task.Delay(FirstConnectionWait, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            await RegisterCommandsOnceAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ReadEventsAsync(DiscordGatewayClient shard, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var gatewayEvent in shard.Events.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await HandleEventAsync(shard, gatewayEvent, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogEventFailed(logger, gatewayEvent.GetType().Name, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task HandleEventAsync(DiscordGatewayClient shard, GatewayEvent gatewayEvent, CancellationToken cancellationToken)
    {
        switch (gatewayEvent)
        {
            case InteractionReceived received:
                // Each interaction runs on its own so a slow command never delays the next one's 3 s answer.
                Track(Task.Run(() => interactions.HandleAsync(received.Interaction, adapter.Stopping), CancellationToken.None));
                break;
            case GatewayReady ready:
                LogReady(logger, ready.Ready.User?.Username ?? "?", shard.ShardId, shard.ShardCount, ready.Ready.Guilds?.Count ?? 0);
                _applicationId ??= ready.Ready.Application?.Id;
                await SaveSessionAsync(shard, cancellationToken);
                await RegisterCommandsIfLeadingAsync(cancellationToken);
                break;
            case GatewayResumed:
                await SaveSessionAsync(shard, cancellationToken);
                // A process that resumed a saved session never sees READY; its command set may still be new.
                await RegisterCommandsIfLeadingAsync(cancellationToken);
                break;
            case GuildDeleted { Unavailable: false } removed:
                var guild = removed.GuildId.ToString(CultureInfo.InvariantCulture);
                foreach (var channel in (await channels.ListAsync(Platform.Discord, cancellationToken)).Where(c => c.GroupId == guild))
                {
                    await PauseAsync(channel, "discord.removed_from_guild", cancellationToken);
                }

                break;
            case ChannelDeleted deleted:
                var id = deleted.Channel.Id.ToString(CultureInfo.InvariantCulture);
                foreach (var channel in (await channels.ListAsync(Platform.Discord, cancellationToken)).Where(c => c.ExternalId == id || c.ThreadId == id))
                {
                    await PauseAsync(channel, "discord.channel_deleted", cancellationToken);
                }

                break;
            case ConnectionStateChanged { State: GatewayConnectionState.Disconnected }:
                await SaveSessionAsync(shard, cancellationToken);
                break;
        }
    }

    private Task RegisterCommandsIfLeadingAsync(CancellationToken cancellationToken)
    {
        _connected.TrySetResult();
        return _leadsCommands ? RegisterCommandsOnceAsync(cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Once per process, whichever comes first; the others wait for it instead of registering again.</summary>
    private async Task RegisterCommandsOnceAsync(CancellationToken cancellationToken)
    {
        await _registering.WaitAsync(cancellationToken);
        try
        {
            if (_commandsChecked)
            {
                return;
            }

            if (_applicationId is null && (await rest.GetCurrentApplicationAsync(cancellationToken)).Value is { } application)
            {
                _applicationId = application.Id;
            }

            if (_applicationId is { } applicationId)
            {
                _commandsChecked = true;
                await registrar.RegisterAsync(applicationId, cancellationToken);
            }
        }
        finally
        {
            _registering.Release();
        }
    }

    private async Task PauseAsync(Channel channel, string reason, CancellationToken cancellationToken)
    {
        var paused = await subscriptions.PauseChannelAsync(channel.Id, reason, cancellationToken);
        LogChannelPaused(logger, channel.ExternalId, reason, paused);
    }

    private void Track(Task task)
    {
        _running.TryAdd(task, 0);
        task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task<GatewaySession?> LoadSessionAsync(DiscordGatewayClient shard, CancellationToken cancellationToken)
    {
        var saved = await state.GetAsync(Platform.Discord.ToKey(), SessionKeyFor(shard.ShardId, shard.ShardCount), cancellationToken);
        // Written before last-active times were saved, a session has three lines: its age is then unknown.
        return saved?.Split('\n') is [var id, var url, var sequence, .. var rest] && id.Length > 0
            ? new GatewaySession(id, url, long.TryParse(sequence, CultureInfo.InvariantCulture, out var seq) ? seq : null,
                rest is [var active] && long.TryParse(active, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null)
            : null;
    }

    private async Task SaveSessionAsync(DiscordGatewayClient shard, CancellationToken cancellationToken)
    {
        var session = shard.Session;
        var value = session is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $"{session.SessionId}\n{session.ResumeGatewayUrl}\n{session.Sequence}\n{session.LastActiveAt?.ToUnixTimeMilliseconds()}");
        await state.SetAsync(Platform.Discord.ToKey(), SessionKeyFor(shard.ShardId, shard.ShardCount), value, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord Gateway ready as {User} on shard {ShardId} of {ShardCount} with {Guilds} guilds")]
    private static partial void LogReady(ILogger logger, string user, int shardId, int shardCount, int guilds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Paused {Count} subscriptions of Discord channel {ChannelId}: {Reason}")]
    private static partial void LogChannelPaused(ILogger logger, string channelId, string reason, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord shard {ShardId}: its session could not be saved; the next run identifies anew")]
    private static partial void LogSessionNotSaved(ILogger logger, int shardId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord Gateway client failed")]
    private static partial void LogGatewayCrashed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling Discord event {Event} failed")]
    private static partial void LogEventFailed(ILogger logger, string @event, Exception exception);
}
