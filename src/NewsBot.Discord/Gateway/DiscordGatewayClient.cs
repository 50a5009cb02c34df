using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NewsBot.Discord.Rest;
using NewsBot.Discord.Wire;

namespace NewsBot.Discord.Gateway;

/// <summary>
/// One Gateway shard: connects, heartbeats, identifies (when <see cref="IIdentifyGate"/> gives it a turn) or resumes,
/// and turns dispatches into <see cref="Events"/>. <see cref="RunAsync"/> reconnects on its own and only returns on
/// cancellation or a fatal close code. <see cref="DiscordShardSet"/> runs the shards of a process.
/// </summary>
public sealed partial class DiscordGatewayClient
{
    /// <summary>Non-1000 close code: Discord keeps the session resumable (1000/1001 would end it).</summary>
    internal const int ResumableCloseCode = 4900;

    /// <summary>discord.js gives the handshake plus Hello 60 s.</summary>
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(60);

    private readonly DiscordClientOptions _options;
    private readonly GatewayBotInfoSource _gatewayInfo;
    private readonly IIdentifyGate _identifyGate;
    private readonly IGatewaySocketFactory _sockets;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordGatewayClient> _logger;
    private readonly Random _random;
    private readonly Channel<GatewayEvent> _events = Channel.CreateUnbounded<GatewayEvent>();
    private readonly Lock _sessionLock = new();

    private readonly GatewayOutageReporter _outage;
    private GatewaySession? _session;
    private long? _sequence;
    private DateTimeOffset? _lastActiveAt;
    private int _unansweredResumes;
    private GatewayConnection? _connection;

    /// <param name="random">Source of heartbeat and reconnect jitter; tests pass a seeded one.</param>
    internal DiscordGatewayClient(int shardId, int shardCount, DiscordClientOptions options, GatewayBotInfoSource gatewayInfo, IIdentifyGate identifyGate,
        IGatewaySocketFactory sockets, TimeProvider time, ILogger<DiscordGatewayClient> logger, Random random)
    {
        ShardId = shardId;
        ShardCount = shardCount;
        _options = options;
        _gatewayInfo = gatewayInfo;
        _identifyGate = identifyGate;
        _sockets = sockets;
        _time = time;
        _logger = logger;
        _random = random;
        _outage = new GatewayOutageReporter(time, logger);
    }

    public int ShardId { get; }

    /// <summary>Shards of the bot, sent in IDENTIFY as <c>[ShardId, ShardCount]</c>.</summary>
    public int ShardCount { get; }

    /// <summary>Ready, interactions, guild and channel deletions and state changes, in order. Read it continuously.</summary>
    public ChannelReader<GatewayEvent> Events => _events.Reader;

    public GatewayConnectionState State { get; private set; } = GatewayConnectionState.Disconnected;

    /// <summary>Set while the Gateway cannot be reached (reported once as a warning); null once connected again.</summary>
    public GatewayOutage? Outage => _outage.Current;

    /// <summary>Current session with the last sequence; persist it to resume after a restart.</summary>
    public GatewaySession? Session
    {
        get
        {
            lock (_sessionLock)
            {
                return _session is null ? null : _session with { Sequence = _sequence, LastActiveAt = _lastActiveAt };
            }
        }
    }

    /// <summary>Which shard receives a guild's events: (guild_id &gt;&gt; 22) % shard count.</summary>
    public static int ShardFor(ulong guildId, int shardCount) => GatewayPolicy.ShardFor(guildId, shardCount);

    /// <summary>Call before <see cref="RunAsync"/> to try a RESUME of a session saved by an earlier process.</summary>
    public void RestoreSession(GatewaySession session)
    {
        lock (_sessionLock)
        {
            _session = session;
            _sequence = session.Sequence;
            _lastActiveAt = session.LastActiveAt;
        }
    }

    /// <summary>Runs until cancelled (returns null) or until Discord closes with a fatal code (returns why).</summary>
    public async Task<GatewayFatalError?> RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var gateway = await _gatewayInfo.GetAsync(cancellationToken);
                if (gateway.Error is { Kind: DiscordErrorKind.Unauthorized } unauthorized)
                {
                    return Stop(new GatewayFatalError(null, unauthorized.Reason, "Discord rejected the token (401 on /gateway/bot): check NewsBot:Discord:Token"));
                }

                if (!gateway.IsSuccess)
                {
                    failures++;
                    var wait = GatewayPolicy.ReconnectDelay(failures, _random.NextDouble());
                    _outage.Unreachable("GET /gateway/bot failed: " + gateway.Error, wait);
                    await Task.Delay(wait, _time, cancellationToken);
                    continue;
                }

                var session = KeepSessionIfResumable(Session);
                ConnectionOutcome outcome;
                if (session is not null)
                {
                    outcome = await RunConnectionAsync(session.ResumeGatewayUrl, session, null, cancellationToken);
                }
                else
                {
                    // Waited before connecting: a connection whose receive loop sat in this wait would not read the
                    // heartbeat ACKs, be taken for a zombie, closed with 4900 and identify again: an identify loop.
                    await using var turn = await _identifyGate.WaitForTurnAsync(ShardId, cancellationToken);
                    outcome = await RunConnectionAsync(_options.GatewayUrlOverride ?? gateway.Value.Info.Url, null, turn, cancellationToken);
                }

                if (outcome.Fatal is { } fatal)
                {
                    LogFatal(_logger, fatal.CloseCode ?? 0, fatal.Message);
                    return Stop(fatal);
                }

                failures = outcome.WasHealthy ? 0 : failures + 1;
                _unansweredResumes = session is not null && outcome.Unanswered ? _unansweredResumes + 1 : 0;
                // Discord ends a session (op 9 false, session close codes); drops and zombies of connected sockets, however
                // many in a row, keep resuming with backoff, since the missed events are replayed only on RESUME. Only a
                // resume URL that does not answer, or a session too old to resume, is given up (KeepSessionIfResumable).
                if (outcome.Next == NextStep.Identify)
                {
                    ClearSession();
                }

                var delay = outcome.Delay ?? GatewayPolicy.ReconnectDelay(failures, _random.NextDouble());
                if (outcome.Unanswered && !outcome.WasHealthy)
                {
                    _outage.Unreachable(outcome.Why, delay);
                }
                else
                {
                    LogReconnecting(_logger, outcome.Why, outcome.Next.ToString(), delay.TotalMilliseconds);
                }

                SetState(GatewayConnectionState.Disconnected, outcome.Why);
                await Task.Delay(delay, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            SetState(GatewayConnectionState.Stopped, "cancelled");
            return null;
        }
    }

    /// <summary>
    /// op 3 custom status; false when not connected or the payload is too large. Counts toward the 120 events per
    /// minute (115 for ordinary events; heartbeats, identify and resume keep the rest).
    /// </summary>
    public Task<bool> UpdatePresenceAsync(string customStatus, CancellationToken cancellationToken)
    {
        var connection = _connection;
        if (connection is null)
        {
            return Task.FromResult(false);
        }

        var presence = new PresenceUpdateData { Activities = [new Activity { Name = "Custom Status", Type = 4, State = customStatus }] };
        return connection.SendAsync(Encode(GatewayOpcodes.PresenceUpdate, presence, DiscordJsonContext.Default.GatewayCommandPresenceUpdateData),
            priority: false, cancellationToken);
    }

    /// <param name="turn">This shard's turn to identify (null to resume): taken as used once IDENTIFY is sent.</param>
    private async Task<ConnectionOutcome> RunConnectionAsync(string baseUrl, GatewaySession? resume, IIdentifyTurn? turn, CancellationToken cancellationToken)
    {
        using var connectionCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var socket = _sockets.Create();
        var connection = new GatewayConnection(socket, _time, _logger);
        var healthy = false;
        var connected = false;
        Task heartbeat = Task.CompletedTask;
        SetState(GatewayConnectionState.Connecting, null);
        // Covers the handshake too: a gateway that accepts but never says Hello is as dead as one that refuses.
        using var helloTimeout = _time.CreateTimer(_ =>
        {
            connection.Forced ??= new ConnectionOutcome(NextStep.Resume, $"no Hello within {HelloTimeout.TotalSeconds} s") { Unanswered = true };
            connectionCts.Cancel();
        }, null, HelloTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            await socket.ConnectAsync(GatewayUri(baseUrl), connectionCts.Token);
            connected = true;
            while (true)
            {
                var frame = await socket.ReceiveAsync(connectionCts.Token);
                if (frame.Closed)
                {
                    return (connection.Forced ?? GatewayPolicy.FromCloseCode(frame.CloseCode, frame.CloseReason)) with { WasHealthy = healthy };
                }

                var payload = Parse(frame.Payload.Span, DiscordJsonContext.Default.GatewayPayload);
                if (payload is null)
                {
                    continue;
                }

                switch (payload.Op)
                {
                    case GatewayOpcodes.Hello:
                        helloTimeout.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                        var hello = Parse(payload.D, DiscordJsonContext.Default.HelloData);
                        var interval = TimeSpan.FromMilliseconds(Math.Max(1, hello?.HeartbeatInterval ?? 41_250));
                        heartbeat = HeartbeatLoopAsync(connection, interval, connectionCts);
                        if (resume is not null)
                        {
                            await SendResumeAsync(connection, resume, connectionCts.Token);
                        }
                        else if (turn is not null)
                        {
                            await SendIdentifyAsync(connection, connectionCts.Token);
                            turn.Identified();
                        }

                        break;
                    case GatewayOpcodes.HeartbeatAck:
                        connection.AckReceived = true;
                        lock (_sessionLock)
                        {
                            _lastActiveAt = _time.GetUtcNow();
                        }

                        break;
                    case GatewayOpcodes.Heartbeat:
                        await SendHeartbeatAsync(connection, connectionCts.Token);
                        break;
                    case GatewayOpcodes.Reconnect:
                        await connection.CloseAsync(ResumableCloseCode, "reconnect requested");
                        return new ConnectionOutcome(NextStep.Resume, "server asked to reconnect (op 7)", TimeSpan.Zero) { WasHealthy = healthy };
                    case GatewayOpcodes.InvalidSession:
                        var resumable = payload.D is { ValueKind: JsonValueKind.True };
                        await connection.CloseAsync(ResumableCloseCode, "invalid session");
                        return resumable
                            ? new ConnectionOutcome(NextStep.Resume, "invalid session, resumable (op 9 true)")
                            : new ConnectionOutcome(NextStep.Identify, "invalid session (op 9 false)",
                                GatewayPolicy.InvalidSessionDelay(_random.NextDouble()));
                    case GatewayOpcodes.Dispatch:
                        if (HandleDispatch(payload))
                        {
                            // Ordinary sends (presence) only after READY/RESUMED, else Discord closes with 4003.
                            healthy = true;
                            _connection = connection;
                        }

                        break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A zombie close set Forced; it still counts as healthy when READY/RESUMED came first, so backoff restarts.
            return (connection.Forced ?? new ConnectionOutcome(NextStep.Resume, "connection cancelled")) with { WasHealthy = healthy, Unanswered = connection.Forced?.Unanswered == true || !connected };
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException)
        {
            // A drop without a close frame keeps the session resumable.
            LogConnectionLost(_logger, ex);
            var why = (connected ? "connection lost: " : "could not connect: ") + ex.Message;
            return (connection.Forced ?? new ConnectionOutcome(NextStep.Resume, why)) with { WasHealthy = healthy, Unanswered = connection.Forced?.Unanswered == true || !connected };
        }
        finally
        {
            _connection = null;
            if (cancellationToken.IsCancellationRequested)
            {
                // Shutdown with a non-1000 code so a restarted process can still RESUME this session.
                await connection.CloseAsync(ResumableCloseCode, "shutting down");
            }

            await connectionCts.CancelAsync();
            await heartbeat;
            socket.Abort();
        }
    }

    /// <summary>Returns true for READY/RESUMED: the connection is healthy.</summary>
    private bool HandleDispatch(GatewayPayload payload)
    {
        lock (_sessionLock)
        {
            _sequence = payload.S ?? _sequence;
            _lastActiveAt = _time.GetUtcNow();
        }

        switch (payload.T)
        {
            case "READY" when Parse(payload.D, DiscordJsonContext.Default.ReadyData) is { } ready:
                lock (_sessionLock)
                {
                    _session = new GatewaySession(ready.SessionId, ready.ResumeGatewayUrl, _sequence);
                }

                LogReady(_logger, ShardId, ready.Guilds?.Count ?? 0);
                _outage.Reachable();
                SetState(GatewayConnectionState.Connected, "ready");
                _events.Writer.TryWrite(new GatewayReady(ready));
                return true;
            case "RESUMED":
                _outage.Reachable();
                SetState(GatewayConnectionState.Connected, "resumed");
                _events.Writer.TryWrite(new GatewayResumed());
                return true;
            case "INTERACTION_CREATE" when Parse(payload.D, DiscordJsonContext.Default.Interaction) is { } interaction:
                _events.Writer.TryWrite(new InteractionReceived(interaction));
                return false;
            case "GUILD_DELETE" when Parse(payload.D, DiscordJsonContext.Default.UnavailableGuild) is { } guild:
                _events.Writer.TryWrite(new GuildDeleted(guild.Id, guild.Unavailable == true));
                return false;
            case "CHANNEL_DELETE" when Parse(payload.D, DiscordJsonContext.Default.PartialChannel) is { } channel:
                _events.Writer.TryWrite(new ChannelDeleted(channel));
                return false;
            default:
                return false;
        }
    }

    /// <summary>No ACK since the previous heartbeat means a zombie connection: close with 4900 and resume.</summary>
    private async Task HeartbeatLoopAsync(GatewayConnection connection, TimeSpan interval, CancellationTokenSource connectionCts)
    {
        var cancellationToken = connectionCts.Token;
        try
        {
            await Task.Delay(GatewayPolicy.FirstHeartbeat(interval, _random.NextDouble()), _time, cancellationToken);
            while (true)
            {
                if (!connection.AckReceived)
                {
                    LogZombie(_logger, interval.TotalMilliseconds);
                    connection.Forced = new ConnectionOutcome(NextStep.Resume, "no heartbeat ACK (zombie connection)");
                    await connection.CloseAsync(ResumableCloseCode, "heartbeat not acknowledged");
                    await connectionCts.CancelAsync();
                    return;
                }

                connection.AckReceived = false;
                await SendHeartbeatAsync(connection, cancellationToken);
                await Task.Delay(interval, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended; the receive loop reports why.
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            LogConnectionLost(_logger, ex);
            await connectionCts.CancelAsync();
        }
    }

    private Task<bool> SendHeartbeatAsync(GatewayConnection connection, CancellationToken cancellationToken)
    {
        long? sequence;
        lock (_sessionLock)
        {
            sequence = _sequence;
        }

        return connection.SendAsync(Encode(GatewayOpcodes.Heartbeat, sequence, DiscordJsonContext.Default.GatewayCommandNullableInt64),
            priority: true, cancellationToken);
    }

    private async Task SendIdentifyAsync(GatewayConnection connection, CancellationToken cancellationToken)
    {
        SetState(GatewayConnectionState.Identifying, null);
        var identify = new IdentifyData
        {
            Token = _options.Token,
            Intents = _options.Intents,
            Properties = new IdentifyProperties { Os = Environment.OSVersion.Platform == PlatformID.Unix ? "linux" : "windows", Browser = "NewsBot.Discord", Device = "NewsBot.Discord" },
            Shard = [ShardId, ShardCount],
        };
        await connection.SendAsync(Encode(GatewayOpcodes.Identify, identify, DiscordJsonContext.Default.GatewayCommandIdentifyData),
            priority: true, cancellationToken);
    }

    private async Task SendResumeAsync(GatewayConnection connection, GatewaySession session, CancellationToken cancellationToken)
    {
        SetState(GatewayConnectionState.Resuming, null);
        var resume = new ResumeData { Token = _options.Token, SessionId = session.SessionId, Seq = session.Sequence ?? 0 };
        await connection.SendAsync(Encode(GatewayOpcodes.Resume, resume, DiscordJsonContext.Default.GatewayCommandResumeData),
            priority: true, cancellationToken);
    }

    private void ClearSession()
    {
        lock (_sessionLock)
        {
            _session = null;
            _sequence = null;
            _lastActiveAt = null;
        }

        _unansweredResumes = 0;
    }

    /// <summary>
    /// Gives up a session whose resume URL stopped answering, or one older than Discord keeps sessions: resuming it
    /// would retry forever while the bot stays offline. A new session is identified on the GET /gateway/bot URL.
    /// </summary>
    private GatewaySession? KeepSessionIfResumable(GatewaySession? session)
    {
        if (session is null)
        {
            return null;
        }

        var idle = session.LastActiveAt is { } lastActive ? _time.GetUtcNow() - lastActive : TimeSpan.Zero;
        var why = _unansweredResumes >= GatewayPolicy.MaxUnansweredResumes
            ? $"its resume URL did not answer {_unansweredResumes} times"
            : idle > GatewayPolicy.ResumableFor
                ? $"it was last active {idle.TotalMinutes:0} min ago, longer than Discord keeps sessions"
                : null;
        if (why is null)
        {
            return session;
        }

        LogSessionGivenUp(_logger, why);
        ClearSession();
        return null;
    }

    private GatewayFatalError Stop(GatewayFatalError error)
    {
        SetState(GatewayConnectionState.Stopped, error.Message);
        return error;
    }

    private void SetState(GatewayConnectionState state, string? detail)
    {
        if (State == state)
        {
            return;
        }

        State = state;
        _events.Writer.TryWrite(new ConnectionStateChanged(state, detail));
    }

    private static Uri GatewayUri(string baseUrl)
    {
        var query = baseUrl.IndexOf('?', StringComparison.Ordinal);
        var root = (query >= 0 ? baseUrl[..query] : baseUrl).TrimEnd('/');
        return new Uri(root + "/?v=10&encoding=json");
    }

    private static byte[] Encode<TData>(int op, TData data, JsonTypeInfo<GatewayCommand<TData>> info) =>
        JsonSerializer.SerializeToUtf8Bytes(new GatewayCommand<TData> { Op = op, D = data }, info);

    private T? Parse<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> info)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(utf8, info);
        }
        catch (JsonException ex)
        {
            LogBadPayload(_logger, typeof(T).Name, ex);
            return null;
        }
    }

    private T? Parse<T>(JsonElement? element, JsonTypeInfo<T> info)
        where T : class
    {
        if (element is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        try
        {
            return value.Deserialize(info);
        }
        catch (JsonException ex)
        {
            LogBadPayload(_logger, typeof(T).Name, ex);
            return null;
        }
    }

    // The host reports READY in its own words; here it is detail.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord gateway shard {ShardId} ready with {GuildCount} guilds")]
    private static partial void LogReady(ILogger logger, int shardId, int guildCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway connection ended: {Why}; next {Next} in {DelayMs} ms")]
    private static partial void LogReconnecting(ILogger logger, string why, string next, double delayMs);

    // RunAsync returns the error (naming the setting) and the caller reports it once; logging it here too doubled the line.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord gateway stopped (close {CloseCode}): {Message}")]
    private static partial void LogFatal(ILogger logger, int closeCode, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway heartbeat not acknowledged within {IntervalMs} ms; reconnecting to resume")]
    private static partial void LogZombie(ILogger logger, double intervalMs);

    // The reason is in the reconnect or unreachable line; the stack trace only helps when debugging.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord gateway connection lost")]
    private static partial void LogConnectionLost(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway session given up ({Why}); identifying a new session")]
    private static partial void LogSessionGivenUp(ILogger logger, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway payload could not be read as {PayloadType}")]
    private static partial void LogBadPayload(ILogger logger, string payloadType, Exception exception);
}
