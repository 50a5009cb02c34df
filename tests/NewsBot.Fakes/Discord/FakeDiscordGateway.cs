using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace NewsBot.Fakes.Discord;

/// <summary>
/// The Gateway half of the fake: Hello, heartbeat ACKs, READY (with resume_gateway_url pointing at a second path),
/// scripted dispatches with rising s, replay on RESUME, and scripted faults.
/// As Discord does, a dispatch made while the client is away is kept in its session and replayed on RESUME; once a
/// session ends (op 9 false, close 4003/4007/4009) it cannot be resumed, and a dispatch made before the next READY
/// reaches nobody (Discord shows the user "The application did not respond").
/// <para>
/// Sharding (gateway doc, "Sharding"): IDENTIFY must carry <c>shard: [id, count]</c> with count equal to
/// <see cref="FakeDiscordOptions.Shards"/> (fewer: close 4011 sharding required; an id outside the count or more
/// shards: close 4010 invalid shard — real Discord accepts more shards than recommended, the fake keeps one count so
/// routing is unambiguous). A guild's dispatches go only to shard <c>(guild_id &gt;&gt; 22) % shards</c>, guild-less
/// ones to shard 0. Identifies of one bucket (<c>id % max_concurrency</c>) less than 5 s apart get op 9 (d: false),
/// as documented; each accepted identify spends one of <see cref="FakeDiscordOptions.SessionStartRemaining"/>, and
/// one made with none left closes 4004 (Discord resets the token). <see cref="ShardSessions"/> shows who holds what.
/// </para>
/// </summary>
public sealed class FakeDiscordGateway : IAsyncDisposable
{
    private const int PrivilegedIntents = (1 << 1) | (1 << 8) | (1 << 15);

    private readonly FakeDiscordServer _server;
    private readonly FakeDiscordOptions _options;
    private readonly ConcurrentDictionary<string, FakeSession> _sessions = new();
    private readonly ConcurrentQueue<JsonObject> _identifies = new();
    private readonly ConcurrentQueue<RecordedIdentify> _identifyRecords = new();
    private readonly ConcurrentDictionary<Connection, byte> _connections = new();
    private readonly ConcurrentDictionary<int, FakeSession> _latestByShard = new();
    private readonly ConcurrentDictionary<int, DateTimeOffset> _bucketIdentifiedAt = new();
    private readonly Lock _identifyLock = new();
    private readonly ConcurrentQueue<DateTimeOffset> _identifyTimes = new();
    private readonly ConcurrentQueue<RecordedResume> _resumes = new();
    private readonly ConcurrentQueue<int?> _clientCloseCodes = new();
    private readonly ConcurrentQueue<string> _connectionUrls = new();
    private readonly ConcurrentQueue<int> _presenceUpdates = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentDictionary<ulong, RecordedInteraction> _interactions = new();
    private readonly Lock _interactionUpdates = new();
    private readonly CancellationTokenSource _stopping = new();

    // Live dispatches and RESUME replays in one order, so no event is sent twice or after a later one.
    private readonly SemaphoreSlim _dispatching = new(1, 1);
    private Connection? _current;
    private int _heartbeats;
    private volatile bool _ackHeartbeats = true;
    private int _identifyCloseCode;
    private int _overlappingIdentifies;
    private int _overlappingResumes;

    internal FakeDiscordGateway(FakeDiscordServer server, FakeDiscordOptions options)
    {
        _server = server;
        _options = options;
    }

    public ChangeSignal Changed => _server.Changed;

    public IReadOnlyList<JsonObject> Identifies => [.. _identifies];

    /// <summary>When each IDENTIFY arrived, on <see cref="FakeDiscordOptions.Time"/>.</summary>
    public IReadOnlyList<DateTimeOffset> IdentifyTimes => [.. _identifyTimes];

    /// <summary>Every IDENTIFY with its shard, when it came and how the fake answered it.</summary>
    public IReadOnlyList<RecordedIdentify> IdentifyRecords => [.. _identifyRecords];

    /// <summary>The latest session of each shard that has one, in shard order; Live when a client holds it now.</summary>
    public IReadOnlyList<FakeShardSession> ShardSessions =>
        [.. _latestByShard.OrderBy(p => p.Key).Select(p => new FakeShardSession(p.Key, p.Value.ShardCount, p.Value.Id, LiveConnection(p.Value) is not null))];

    public IReadOnlyList<RecordedResume> Resumes => [.. _resumes];

    /// <summary>Close codes the client sent (null when it dropped without one).</summary>
    public IReadOnlyList<int?> ClientCloseCodes => [.. _clientCloseCodes];

    /// <summary>Full URL (path + query) of every gateway connection, in order.</summary>
    public IReadOnlyList<string> ConnectionUrls => [.. _connectionUrls];

    /// <summary>Unexpected exceptions while serving a connection (malformed payloads included).</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    public int Heartbeats => Volatile.Read(ref _heartbeats);

    /// <summary>Every INTERACTION_CREATE dispatched, with when it was created and first written to a client.</summary>
    public IReadOnlyList<RecordedInteraction> Interactions => [.. _interactions.Values.OrderBy(i => i.CreatedAt)];

    public int PresenceUpdates => _presenceUpdates.Count;

    /// <summary>Identifies of a shard whose previous session was still held by an open connection (a shard run twice).</summary>
    public int OverlappingIdentifies => Volatile.Read(ref _overlappingIdentifies);

    /// <summary>RESUMEs of a session that another open connection still held: as telling as <see cref="OverlappingIdentifies"/>.</summary>
    public int OverlappingResumes => Volatile.Read(ref _overlappingResumes);

    public bool IsConnected => _current is { Socket.State: WebSocketState.Open };

    /// <summary>Connected, and the connection has had its READY or accepted RESUME: dispatches reach the client live.</summary>
    public bool IsSessionLive => _current is { Socket.State: WebSocketState.Open, Session.Ended: false };

    /// <summary>Session id of shard 0's last READY, with its last sequence.</summary>
    public string? LatestSessionId => _latestByShard.GetValueOrDefault(0)?.Id;

    public long LatestSequence => _latestByShard.GetValueOrDefault(0)?.Sequence ?? 0;

    /// <summary>The shard's latest session is held by an open connection: its dispatches reach a client live.</summary>
    public bool IsShardLive(int shard) => _latestByShard.TryGetValue(shard, out var session) && LiveConnection(session) is not null;

    /// <summary>The shard that receives a guild's events: (guild_id &gt;&gt; 22) % <see cref="FakeDiscordOptions.Shards"/>.</summary>
    public int ShardOf(ulong guildId) => (int)((guildId >> 22) % (ulong)Math.Max(1, _options.Shards));

    /// <summary>Stop answering heartbeats (zombie connection from the client's point of view).</summary>
    public bool AckHeartbeats { get => _ackHeartbeats; set => _ackHeartbeats = value; }

    /// <summary>Answer the next IDENTIFY by closing with this code (e.g. 4004, 4014).</summary>
    public void CloseNextIdentifyWith(int code) => Volatile.Write(ref _identifyCloseCode, code);

    /// <summary>
    /// Adds a dispatch to the latest session (replayed on resume) and sends it if a client is connected.
    /// When that session has ended, the event is dropped, as Discord has no session to deliver it to.
    /// </summary>
    public async Task DispatchAsync(string type, JsonObject data)
    {
        var shard = ShardOfDispatch(type, data);
        var session = _latestByShard.GetValueOrDefault(shard) ?? throw new InvalidOperationException($"No session on shard {shard} yet: wait for its READY first.");
        var interactionId = type == "INTERACTION_CREATE" && ulong.TryParse(data["id"]?.GetValue<string>(), out var id) ? id : (ulong?)null;
        await _dispatching.WaitAsync();
        try
        {
            if (interactionId is { } created)
            {
                _interactions[created] = new RecordedInteraction(created, session.Id, _options.Time.GetUtcNow(), null, null, Lost: session.Ended);
            }

            if (session.Ended)
            {
                return;
            }

            var payload = session.Append(type, data);
            if (LiveConnection(session) is { } connection && await connection.SendAsync(payload, _options.GatewayFrameBytes))
            {
                MarkDelivered(payload, connection);
            }
        }
        finally
        {
            _dispatching.Release();
        }
    }

    public Task SendReconnectAsync() => SendRawAsync(new JsonObject { ["op"] = 7, ["d"] = null });

    /// <summary>Op 9; with <paramref name="resumable"/> false the session ends first, so a RESUME of it fails again.</summary>
    public Task SendInvalidSessionAsync(bool resumable)
    {
        if (!resumable)
        {
            EndSession(_current?.Session);
        }

        return SendRawAsync(new JsonObject { ["op"] = 9, ["d"] = resumable });
    }

    public Task RequestHeartbeatAsync() => SendRawAsync(new JsonObject { ["op"] = 1, ["d"] = null });

    /// <summary>
    /// Closes the current connection with a code, like Discord does on errors. 4003 (not authenticated), 4007 (invalid
    /// seq) and 4009 (session timed out) end the session: the client must identify again.
    /// </summary>
    public async Task CloseAsync(int code, string reason)
    {
        if (_current is { } connection)
        {
            if (code is 4003 or 4007 or 4009)
            {
                EndSession(connection.Session);
            }

            await connection.CloseAsync(code, reason);
        }
    }

    /// <summary>Drops the TCP connection without a close frame.</summary>
    public void Drop() => _current?.Socket.Abort();

    public Task WaitUntilAsync(Func<FakeDiscordGateway, bool> condition, string what) => Changed.WaitUntilAsync(() => condition(this), what);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _current?.Socket.Abort();
        _stopping.Dispose();
    }

    internal async Task HandleAsync(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path.Value ?? "";
        if (!context.WebSockets.IsWebSocketRequest || !(path.StartsWith("/gateway", StringComparison.Ordinal) || path.StartsWith("/resume-gateway", StringComparison.Ordinal)))
        {
            await next();
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        _connectionUrls.Enqueue(path + context.Request.QueryString);
        var connection = new Connection(socket, _connectionUrls.Count);
        _current = connection;
        _connections[connection] = 0;
        _server.Changed.Pulse();
        try
        {
            if (_options.SendHello)
            {
                await connection.SendAsync(new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = _options.HeartbeatIntervalMs } }, _options.GatewayFrameBytes);
            }

            await ReceiveLoopAsync(connection);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            _clientCloseCodes.Enqueue(null);
        }
        catch (Exception ex)
        {
            // A bug in the fake or a malformed client payload: keep it visible to the test.
            _errors.Enqueue(ex.ToString());
            throw;
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            if (_current == connection)
            {
                _current = null;
            }

            _server.Changed.Pulse();
        }
    }

    private async Task ReceiveLoopAsync(Connection connection)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await connection.Socket.ReceiveAsync(buffer, _stopping.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _clientCloseCodes.Enqueue(connection.Socket.CloseStatus is { } status ? (int)status : null);
                    if (connection.Socket.State == WebSocketState.CloseReceived)
                    {
                        await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            if (message.Length > 4096)
            {
                await connection.CloseAsync(4002, "Decode error: payload too large");
                return;
            }

            var payload = JsonNode.Parse(message.ToArray())!.AsObject();
            await HandlePayloadAsync(connection, payload);
            _server.Changed.Pulse();
        }
    }

    private async Task HandlePayloadAsync(Connection connection, JsonObject payload)
    {
        var data = payload["d"];
        switch (payload["op"]!.GetValue<int>())
        {
            case 1:
                Interlocked.Increment(ref _heartbeats);
                if (_ackHeartbeats)
                {
                    await connection.SendAsync(new JsonObject { ["op"] = 11 }, _options.GatewayFrameBytes);
                }

                break;
            case 2:
                var identify = data!.AsObject();
                _identifies.Enqueue((JsonObject)identify.DeepClone());
                _identifyTimes.Enqueue(_options.Time.GetUtcNow());
                var (shard, count) = identify["shard"] is JsonArray { Count: 2 } pair ? (pair[0]!.GetValue<int>(), pair[1]!.GetValue<int>()) : (0, 1);
                var answer = Interlocked.Exchange(ref _identifyCloseCode, 0) is var scripted and not 0 ? scripted
                    : identify["token"]?.GetValue<string>() != _options.Token ? 4004
                    : (identify["intents"]?.GetValue<int>() & PrivilegedIntents) != 0 ? 4014
                    : shard < 0 || count < 1 || shard >= count || count > _options.Shards ? 4010
                    : count < _options.Shards ? 4011
                    : TakeIdentifySlot(shard);
                _identifyRecords.Enqueue(new RecordedIdentify(shard, count, _options.Time.GetUtcNow(), answer));
                switch (answer)
                {
                    case 0:
                        await SendReadyAsync(connection, identify, shard, count);
                        break;
                    case RecordedIdentify.RateLimited:
                        // Over max_concurrency per 5 s: Discord answers op 9 (not resumable), the client waits and identifies again.
                        await connection.SendAsync(new JsonObject { ["op"] = 9, ["d"] = false }, _options.GatewayFrameBytes);
                        break;
                    default:
                        await connection.CloseAsync(answer, answer switch
                        {
                            4010 => "Invalid shard.",
                            4011 => "Sharding required.",
                            4014 => "Disallowed intent(s).",
                            4004 => "Authentication failed.",
                            _ => "scripted",
                        });
                        break;
                }

                break;
            case 3:
                _presenceUpdates.Enqueue(1);
                break;
            case 6:
                var resume = data!.AsObject();
                var sessionId = resume["session_id"]!.GetValue<string>();
                var seq = resume["seq"]?.GetValue<long>() ?? 0;
                _resumes.Enqueue(new RecordedResume(sessionId, seq));
                if (resume["token"]?.GetValue<string>() == _options.Token && _sessions.TryGetValue(sessionId, out var session))
                {
                    await _dispatching.WaitAsync();
                    try
                    {
                        // Another open connection still on this session: two clients (two processes) run one shard.
                        if (LiveConnection(session) is { } holder && holder != connection)
                        {
                            Interlocked.Increment(ref _overlappingResumes);
                        }

                        connection.Session = session;
                        foreach (var missed in session.After(seq))
                        {
                            if (await connection.SendAsync(missed, _options.GatewayFrameBytes))
                            {
                                MarkDelivered(missed, connection);
                            }
                        }

                        await connection.SendAsync(session.Append("RESUMED", []), _options.GatewayFrameBytes);
                    }
                    finally
                    {
                        _dispatching.Release();
                    }
                }
                else
                {
                    await connection.SendAsync(new JsonObject { ["op"] = 9, ["d"] = false }, _options.GatewayFrameBytes);
                }

                break;
        }
    }

    /// <summary>
    /// 0 when the identify may start a session (and spends one of the budget); op 9 when its bucket identified less
    /// than 5 s ago; 4004 when the budget is spent (Discord then resets the token).
    /// </summary>
    private int TakeIdentifySlot(int shard)
    {
        lock (_identifyLock)
        {
            var now = _options.Time.GetUtcNow();
            var bucket = shard % Math.Max(1, _options.MaxConcurrency);
            if (_bucketIdentifiedAt.TryGetValue(bucket, out var last) && now - last < TimeSpan.FromSeconds(5))
            {
                return RecordedIdentify.RateLimited;
            }

            if (_options.SessionStartRemaining <= 0)
            {
                return 4004;
            }

            _bucketIdentifiedAt[bucket] = now;
            _options.SessionStartRemaining--;
            return 0;
        }
    }

    private async Task SendReadyAsync(Connection connection, JsonObject identify, int shard, int count)
    {
        var session = new FakeSession(Guid.NewGuid().ToString("N"), shard, count);
        _sessions[session.Id] = session;
        var guilds = new JsonArray();
        for (var i = 0; i < _options.ReadyGuildCount; i++)
        {
            guilds.Add(new JsonObject { ["id"] = FakeDiscordServer.Id(_server.GuildOnShard(shard, i)), ["unavailable"] = true });
        }

        var ready = new JsonObject
        {
            ["v"] = 10,
            ["user"] = new JsonObject { ["id"] = FakeDiscordServer.Id(_options.BotUserId), ["username"] = "NewsBot", ["bot"] = true },
            ["guilds"] = guilds,
            ["session_id"] = session.Id,
            ["resume_gateway_url"] = _server.ResumeGatewayUrl,
            ["shard"] = identify["shard"]?.DeepClone(),
            ["application"] = new JsonObject { ["id"] = FakeDiscordServer.Id(_options.ApplicationId), ["flags"] = 0 },
        };
        await _dispatching.WaitAsync();
        try
        {
            // One session per shard: a new IDENTIFY replaces the previous one, whose undelivered events nobody will get.
            // A previous one still held by an open connection means two clients run this shard (two processes).
            if (_latestByShard.TryGetValue(shard, out var previous))
            {
                if (LiveConnection(previous) is not null)
                {
                    Interlocked.Increment(ref _overlappingIdentifies);
                }

                EndSession(previous);
            }

            _latestByShard[shard] = session;
            connection.Session = session;
            await connection.SendAsync(session.Append("READY", ready), _options.GatewayFrameBytes);
        }
        finally
        {
            _dispatching.Release();
        }
    }

    private void EndSession(FakeSession? session)
    {
        if (session is not null)
        {
            session.Ended = true;
            _sessions.TryRemove(session.Id, out _);
            lock (_interactionUpdates)
            {
                foreach (var waiting in _interactions.Values.Where(i => i.SessionId == session.Id && i.DeliveredAt is null))
                {
                    _interactions[waiting.Id] = waiting with { Lost = true };
                }
            }
        }
    }

    /// <summary>First time an interaction's frame went out whole on an open socket (live or in a resume replay).</summary>
    private void MarkDelivered(JsonObject payload, Connection connection)
    {
        if (payload["t"]?.GetValue<string>() != "INTERACTION_CREATE" || !ulong.TryParse(payload["d"]?["id"]?.GetValue<string>(), out var id))
        {
            return;
        }

        lock (_interactionUpdates)
        {
            if (_interactions.TryGetValue(id, out var interaction) && interaction.DeliveredAt is null)
            {
                _interactions[id] = interaction with { DeliveredAt = _options.Time.GetUtcNow(), Connection = connection.Number };
            }
        }
    }

    /// <summary>The open connection that holds <paramref name="session"/> now, if any.</summary>
    private Connection? LiveConnection(FakeSession session) =>
        session.Ended ? null : _connections.Keys.FirstOrDefault(c => c.Session == session && c.Socket.State == WebSocketState.Open);

    /// <summary>Guild events go to the guild's shard (guild_id, or id for GUILD_*); the rest to shard 0.</summary>
    private int ShardOfDispatch(string type, JsonObject data)
    {
        var guild = data["guild_id"] ?? (type.StartsWith("GUILD_", StringComparison.Ordinal) ? data["id"] : null);
        return guild is not null && ulong.TryParse(guild.GetValue<string>(), CultureInfo.InvariantCulture, out var guildId) ? ShardOf(guildId) : 0;
    }

    private async Task SendRawAsync(JsonObject payload)
    {
        if (_current is { } connection)
        {
            await connection.SendAsync(payload, _options.GatewayFrameBytes);
        }
    }

    private sealed class FakeSession(string id, int shard, int shardCount)
    {
        private readonly List<JsonObject> _events = [];
        private readonly Lock _lock = new();

        public string Id { get; } = id;

        public int Shard { get; } = shard;

        public int ShardCount { get; } = shardCount;

        public long Sequence { get; private set; }

        /// <summary>Invalidated by Discord: no RESUME, no further dispatches.</summary>
        public volatile bool Ended;

        public JsonObject Append(string type, JsonObject data)
        {
            lock (_lock)
            {
                var payload = new JsonObject { ["op"] = 0, ["t"] = type, ["s"] = ++Sequence, ["d"] = data };
                _events.Add(payload);
                return (JsonObject)payload.DeepClone();
            }
        }

        public List<JsonObject> After(long seq)
        {
            lock (_lock)
            {
                return [.. _events.Where(e => e["s"]!.GetValue<long>() > seq && e["t"]!.GetValue<string>() is not ("READY" or "RESUMED")).Select(e => (JsonObject)e.DeepClone())];
            }
        }
    }

    private sealed class Connection(WebSocket socket, int number)
    {
        /// <summary>1-based position in <see cref="ConnectionUrls"/>.</summary>
        public int Number { get; } = number;

        private readonly SemaphoreSlim _sendLock = new(1, 1);

        public WebSocket Socket { get; } = socket;

        public FakeSession? Session { get; set; }

        /// <summary>Sends in frames of <paramref name="frameBytes"/> so the client must assemble messages; false when the socket failed.</summary>
        public async Task<bool> SendAsync(JsonObject payload, int frameBytes)
        {
            var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
            await _sendLock.WaitAsync();
            try
            {
                for (var offset = 0; offset < bytes.Length; offset += frameBytes)
                {
                    var count = Math.Min(frameBytes, bytes.Length - offset);
                    await Socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count >= bytes.Length, CancellationToken.None);
                }

                return true;
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
            {
                // The client went away; the receive loop records how.
                return false;
            }
            finally
            {
                _sendLock.Release();
            }
        }

        public async Task CloseAsync(int code, string reason)
        {
            await _sendLock.WaitAsync();
            try
            {
                if (Socket.State == WebSocketState.Open)
                {
                    await Socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
            {
                // Already gone.
            }
            finally
            {
                _sendLock.Release();
            }
        }
    }
}
