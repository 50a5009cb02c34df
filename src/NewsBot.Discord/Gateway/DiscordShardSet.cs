using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Rest;

namespace NewsBot.Discord.Gateway;

/// <summary>
/// The Gateway shards this process runs: <see cref="DiscordClientOptions.Shards"/> (e.g. "0-3/8"), or every shard
/// of <see cref="DiscordClientOptions.ShardCount"/>, or of the count GET /gateway/bot recommends. Each shard is a
/// <see cref="DiscordGatewayClient"/> with its own session, resume and reconnects; they share the identify gate.
/// Which planned shards actually run, and when, is the <see cref="IShardAllotment"/>'s: all of them in a process on its
/// own, a fair share of them in a cluster.
/// </summary>
public sealed partial class DiscordShardSet(
    IOptions<DiscordClientOptions> options,
    GatewayBotInfoSource gatewayInfo,
    IIdentifyGate identifyGate,
    IShardAllotment allotment,
    IGatewaySocketFactory sockets,
    TimeProvider time,
    ILoggerFactory loggers,
    Random? random = null)
{
    private readonly ILogger<DiscordShardSet> _logger = loggers.CreateLogger<DiscordShardSet>();
    private readonly Random _random = random ?? Random.Shared;
    private GatewayOutageReporter? _planOutage;
    private readonly Lock _runningLock = new();
    private IReadOnlyList<DiscordGatewayClient> _shards = [];
    private ShardSelection? _selection;
    private IReadOnlyList<DiscordGatewayClient> _running = [];

    /// <summary>The shards this process may run, in id order; empty until <see cref="PlanAsync"/> succeeded.</summary>
    public IReadOnlyList<DiscordGatewayClient> Shards => Volatile.Read(ref _shards);

    /// <summary>The shards running now (granted by the <see cref="IShardAllotment"/>), in id order.</summary>
    public IReadOnlyList<DiscordGatewayClient> Running => Volatile.Read(ref _running);

    /// <summary>Shards of the whole bot (0 until planned).</summary>
    public int ShardCount => Volatile.Read(ref _selection)?.Count ?? 0;

    /// <summary>The identify gate the shards wait on (its <see cref="IIdentifyGate.BudgetSpent"/> is worth showing).</summary>
    public IIdentifyGate IdentifyGate => identifyGate;

    /// <summary>Why the Gateway cannot be reached: planning's GET /gateway/bot, else the first shard that reports one.</summary>
    public GatewayOutage? Outage => _planOutage?.Current ?? Shards.Select(s => s.Outage).FirstOrDefault(o => o is not null);

    /// <summary>
    /// Settles the shard count and creates the shards, asking GET /gateway/bot (retried with backoff) when the count
    /// is not configured. Returns null when planned, or why not (a rejected token or a selection outside the count).
    /// </summary>
    public async Task<GatewayFatalError?> PlanAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        ShardSelection? selection = null;
        if (!string.IsNullOrWhiteSpace(settings.Shards))
        {
            if (!ShardSelection.TryParse(settings.Shards, out selection, out var problem))
            {
                return new GatewayFatalError(null, "discord.invalid_shards", $"NewsBot:Discord:Shards = \"{settings.Shards}\" {problem}, e.g. {ShardSelection.Example}");
            }
        }
        else if (settings.ShardCount is { } configured)
        {
            selection = ShardSelection.All(configured);
        }
        else
        {
            var reporter = _planOutage = new GatewayOutageReporter(time, _logger);
            for (var failures = 1; selection is null; failures++)
            {
                var answer = await gatewayInfo.GetAsync(cancellationToken);
                if (answer.Error is { Kind: DiscordErrorKind.Unauthorized } unauthorized)
                {
                    return new GatewayFatalError(null, unauthorized.Reason, "Discord rejected the token (401 on /gateway/bot): check NewsBot:Discord:Token");
                }

                if (answer.IsSuccess)
                {
                    reporter.Reachable();
                    selection = ShardSelection.All(Math.Max(1, answer.Value.Info.Shards));
                    break;
                }

                var wait = GatewayPolicy.ReconnectDelay(failures, _random.NextDouble());
                reporter.Unreachable("GET /gateway/bot failed: " + answer.Error, wait);
                await Task.Delay(wait, time, cancellationToken);
            }
        }

        var logger = loggers.CreateLogger<DiscordGatewayClient>();
        Volatile.Write(ref _shards, [.. selection!.Ids.Select(id =>
            new DiscordGatewayClient(id, selection.Count, settings, gatewayInfo, identifyGate, sockets, time, logger, _random))]);
        Volatile.Write(ref _selection, selection);
        LogPlanned(_logger, selection.Ids.Count, selection.Count, selection.ToString());
        return null;
    }

    /// <summary>
    /// Runs the shards the <see cref="IShardAllotment"/> grants until cancelled (returns null) or until one stops with a
    /// fatal close: the others are then stopped too, since such a close is about the token, the intents or the shard
    /// configuration they share. An exception of one shard also stops the others and is thrown.
    /// <paramref name="lifecycle"/> hears of every start and stop of a shard.
    /// </summary>
    public async Task<GatewayFatalError?> RunAsync(CancellationToken cancellationToken, IShardLifecycle? lifecycle = null)
    {
        var selection = Volatile.Read(ref _selection) ?? throw new InvalidOperationException("PlanAsync must succeed before RunAsync.");
        var byId = Shards.ToDictionary(s => s.ShardId);
        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var runs = new List<Task<GatewayFatalError?>>();
        try
        {
            await foreach (var grant in allotment.GrantAsync(selection, stopAll.Token))
            {
                runs.Add(RunGrantedAsync(byId[grant.ShardId], grant, lifecycle, stopAll));
            }
        }
        catch (OperationCanceledException) when (stopAll.IsCancellationRequested)
        {
            // Stopping, or a shard stopped them all.
        }

        var results = await Task.WhenAll(runs);
        return results.FirstOrDefault(r => r is not null);
    }

    private async Task<GatewayFatalError?> RunGrantedAsync(DiscordGatewayClient shard, ShardGrant grant, IShardLifecycle? lifecycle, CancellationTokenSource stopAll)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stopAll.Token, grant.Revoked);
        try
        {
            if (lifecycle is not null)
            {
                await lifecycle.StartingAsync(shard, run.Token);
            }

            SetRunning(shard, true);
            var fatal = await shard.RunAsync(run.Token);
            if (fatal is not null)
            {
                await stopAll.CancelAsync();
            }

            return fatal;
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception)
        {
            // A bug in one shard ends the set, so the caller learns of it instead of one shard silently missing.
            await stopAll.CancelAsync();
            throw;
        }
        finally
        {
            SetRunning(shard, false);
            if (lifecycle is not null)
            {
                await lifecycle.StoppedAsync(shard);
            }

            grant.Stopped();
        }
    }

    private void SetRunning(DiscordGatewayClient shard, bool running)
    {
        lock (_runningLock)
        {
            var others = Running.Where(s => s != shard);
            Volatile.Write(ref _running, [.. (running ? others.Append(shard) : others).OrderBy(s => s.ShardId)]);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway: running {Running} of {Count} shards ({Selection})")]
    private static partial void LogPlanned(ILogger logger, int running, int count, string selection);
}
