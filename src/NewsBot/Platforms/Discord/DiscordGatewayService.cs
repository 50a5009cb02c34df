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
/// Keeps the Gateway connection: restores the saved session so a restart resumes instead of identifying,
/// registers commands on the first READY, answers interactions, and pauses channels the bot lost.
/// A fatal close (bad token, disallowed intents) stops the Discord adapter, not NewsBot. Reports Discord's part of /healthz.
/// </summary>
public sealed partial class DiscordGatewayService(
    DiscordGatewayClient gateway,
    DiscordRestClient rest,
    DiscordCommandRegistrar registrar,
    DiscordInteractionHandler interactions,
    DiscordAdapterState adapter,
    IPlatformStateStore state,
    IChannelStore channels,
    ISubscriptionStore subscriptions,
    IOptions<DiscordOptions> options,
    ILogger<DiscordGatewayService> logger) : BackgroundService, IComponentHealth
{
    public const string SessionKey = "gateway.session";

    private readonly ConcurrentDictionary<Task, byte> _running = new();
    // The application id in use: configured, from READY, or from GET /applications/@me.
    private ulong? _applicationId = options.Value.ApplicationId;
    private bool _commandsChecked;

    public string Name => "discord";

    public ComponentHealth Check() =>
        adapter.StopReason is { } stopped ? new ComponentHealth(HealthState.Stopped, stopped)
        : gateway.Outage is { } outage ? new ComponentHealth(HealthState.Down, string.Create(CultureInfo.InvariantCulture,
            $"Gateway unreachable since {outage.Since:u} ({outage.FailedAttempts} failed attempts, last: {outage.LastError}); next attempt at {outage.NextAttemptAt:u}"))
        : gateway.State == GatewayConnectionState.Connected ? new ComponentHealth(HealthState.Ok)
        : new ComponentHealth(HealthState.Starting, gateway.State.ToString().ToLowerInvariant());

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
        if (await LoadSessionAsync(stoppingToken) is { } saved)
        {
            gateway.RestoreSession(saved);
        }

        using var readerStop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var reader = ReadEventsAsync(readerStop.Token);
        GatewayFatalError? fatal;
        try
        {
            fatal = await gateway.RunAsync(token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug in the Gateway must not end NewsBot (the host stops when a hosted service throws): stop Discord only.
            LogGatewayCrashed(logger, ex);
            fatal = new GatewayFatalError(null, "discord.gateway_crashed", "the Discord Gateway client failed unexpectedly (see the error above)");
        }
        finally
        {
            await readerStop.CancelAsync();
            await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await Task.WhenAll(_running.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            // Save the last sequence so the next process resumes and receives what it missed.
            await SaveSessionAsync(CancellationToken.None);
        }

        if (fatal is not null)
        {
            adapter.Stop(fatal.Message);
        }
    }

    private async Task ReadEventsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var gatewayEvent in gateway.Events.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await HandleEventAsync(gatewayEvent, cancellationToken);
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

    private async Task HandleEventAsync(GatewayEvent gatewayEvent, CancellationToken cancellationToken)
    {
        switch (gatewayEvent)
        {
            case InteractionReceived received:
                // Each interaction runs on its own so a slow command never delays the next one's 3 s answer.
                Track(Task.Run(() => interactions.HandleAsync(received.Interaction, adapter.Stopping), CancellationToken.None));
                break;
            case GatewayReady ready:
                LogReady(logger, ready.Ready.User?.Username ?? "?", ready.Ready.Guilds?.Count ?? 0);
                _applicationId ??= ready.Ready.Application?.Id;
                await SaveSessionAsync(cancellationToken);
                await RegisterCommandsOnceAsync(cancellationToken);
                break;
            case GatewayResumed:
                await SaveSessionAsync(cancellationToken);
                // A process that resumed a saved session never sees READY; its command set may still be new.
                await RegisterCommandsOnceAsync(cancellationToken);
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
                await SaveSessionAsync(cancellationToken);
                break;
        }
    }

    private async Task RegisterCommandsOnceAsync(CancellationToken cancellationToken)
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

    private async Task<GatewaySession?> LoadSessionAsync(CancellationToken cancellationToken)
    {
        var saved = await state.GetAsync(Platform.Discord.ToKey(), SessionKey, cancellationToken);
        // Written before last-active times were saved, a session has three lines: its age is then unknown.
        return saved?.Split('\n') is [var id, var url, var sequence, .. var rest] && id.Length > 0
            ? new GatewaySession(id, url, long.TryParse(sequence, CultureInfo.InvariantCulture, out var seq) ? seq : null,
                rest is [var active] && long.TryParse(active, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null)
            : null;
    }

    private async Task SaveSessionAsync(CancellationToken cancellationToken)
    {
        var session = gateway.Session;
        var value = session is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $"{session.SessionId}\n{session.ResumeGatewayUrl}\n{session.Sequence}\n{session.LastActiveAt?.ToUnixTimeMilliseconds()}");
        await state.SetAsync(Platform.Discord.ToKey(), SessionKey, value, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord Gateway ready as {User} in {Guilds} guilds")]
    private static partial void LogReady(ILogger logger, string user, int guilds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Paused {Count} subscriptions of Discord channel {ChannelId}: {Reason}")]
    private static partial void LogChannelPaused(ILogger logger, string channelId, string reason, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord Gateway client failed")]
    private static partial void LogGatewayCrashed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling Discord event {Event} failed")]
    private static partial void LogEventFailed(ILogger logger, string @event, Exception exception);
}
