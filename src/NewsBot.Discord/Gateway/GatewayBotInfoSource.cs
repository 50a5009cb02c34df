using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.Discord.Rest;
using NewsBot.Discord.Wire;

namespace NewsBot.Discord.Gateway;

/// <summary>An answer of GET /gateway/bot and when it came: session_start_limit.reset_after counts from then.</summary>
public sealed record GatewayBotSnapshot(GatewayBotInfo Info, DateTimeOffset FetchedAt)
{
    public DateTimeOffset SessionStartResetAt => FetchedAt + TimeSpan.FromMilliseconds(Info.SessionStartLimit.ResetAfter);
}

/// <summary>
/// GET /gateway/bot shared by every shard of the process: the URL, the recommended shard count and the session
/// start limit are fetched once and refreshed only when asked (the identify gate does after a budget reset).
/// </summary>
public sealed partial class GatewayBotInfoSource(IServiceProvider services, TimeProvider time, ILogger<GatewayBotInfoSource> logger)
{
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private GatewayBotSnapshot? _latest;

    public GatewayBotSnapshot? Latest => Volatile.Read(ref _latest);

    /// <summary>The cached answer, or a new one when there is none or it is older than <paramref name="newerThan"/>.</summary>
    public async Task<DiscordResult<GatewayBotSnapshot>> GetAsync(CancellationToken cancellationToken, DateTimeOffset? newerThan = null)
    {
        await _fetching.WaitAsync(cancellationToken);
        try
        {
            // Checked after the wait: a caller that queued behind a fetch uses its answer instead of fetching again.
            if (Latest is { } cached && (newerThan is null || cached.FetchedAt >= newerThan))
            {
                return DiscordResult<GatewayBotSnapshot>.Success(cached);
            }

            // The typed client is transient (IHttpClientFactory); this source is a singleton.
            var result = await services.GetRequiredService<DiscordRestClient>().GetGatewayBotAsync(cancellationToken);
            if (!result.IsSuccess)
            {
                LogFetchFailed(logger, result.Error.ToString());
                return result.Error;
            }

            var snapshot = new GatewayBotSnapshot(result.Value, time.GetUtcNow());
            Volatile.Write(ref _latest, snapshot);
            return DiscordResult<GatewayBotSnapshot>.Success(snapshot);
        }
        finally
        {
            _fetching.Release();
        }
    }

    /// <summary>The latest answer (one newer than <paramref name="newerThan"/>), retried with backoff while Discord does not answer.</summary>
    public async Task<GatewayBotSnapshot> GetSnapshotAsync(DateTimeOffset? newerThan, CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            var result = await GetAsync(cancellationToken, newerThan);
            if (result.IsSuccess)
            {
                return result.Value;
            }

            await Task.Delay(GatewayPolicy.ReconnectDelay(failures, 0.5), time, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "GET /gateway/bot failed: {Error}")]
    private static partial void LogFetchFailed(ILogger logger, string error);
}
