using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Rest;

namespace NewsBot.Discord.Gateway;

/// <summary>
/// The Gateway shards this process runs: <see cref="DiscordClientOptions.Shards"/> (e.g. "0-3/8"), or every shard
/// of <see cref="DiscordClientOptions.ShardCount"/>, or of the count GET /gateway/bot recommends. Each shard is a
/// <see cref="DiscordGatewayClient"/> with its own session, resume and reconnects; they share the identify gate.
/// </summary>
public sealed partial class DiscordShardSet(
    IOptions<DiscordClientOptions> options,
    GatewayBotInfoSource gatewayInfo,
    IIdentifyGate identifyGate,
    IGatewaySocketFactory sockets,
    TimeProvider time,
    ILoggerFactory loggers,
    Random? random = null)
{
    private readonly ILogger<DiscordShardSet> _logger = loggers.CreateLogger<DiscordShardSet>();
    private readonly Random _random = random ?? Random.Shared;
    private GatewayOutageReporter? _planOutage;
    private IReadOnlyList<DiscordGatewayClient> _shards = [];

    /// <summary>The shards of this process, in id order; empty until <see cref="PlanAsync"/> succeeded.</summary>
    public IReadOnlyList<DiscordGatewayClient> Shards => Volatile.Read(ref _shards);

    /// <summary>Shards of the whole bot (0 until planned).</summary>
    public int ShardCount => Shards.Count == 0 ? 0 : Shards[0].ShardCount;

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
        LogPlanned(_logger, selection.Ids.Count, selection.Count, selection.ToString());
        return null;
    }

    /// <summary>
    /// Runs every shard until cancelled (returns null) or until one stops with a fatal close: the others are then
    /// stopped too, since such a close is about the token, the intents or the shard configuration they share. An
    /// exception of one shard also stops the others and is thrown.
    /// </summary>
    public async Task<GatewayFatalError?> RunAsync(CancellationToken cancellationToken)
    {
        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var runs = Shards.Select(async shard =>
        {
            try
            {
                var fatal = await shard.RunAsync(stopAll.Token);
                if (fatal is not null)
                {
                    await stopAll.CancelAsync();
                }

                return fatal;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A bug in one shard ends the set, so the caller learns of it instead of one shard silently missing.
                await stopAll.CancelAsync();
                throw;
            }
        }).ToList();
        var results = await Task.WhenAll(runs);
        return results.FirstOrDefault(r => r is not null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway: running {Running} of {Count} shards ({Selection})")]
    private static partial void LogPlanned(ILogger logger, int running, int count, string selection);
}
