using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Platforms;
using NewsBot.Storage;

namespace NewsBot.Hosting;

/// <summary>
/// Runs a small Kestrel app beside the bot when NewsBot:Http:Urls is set: /healthz plus every area's endpoints.
/// Its handlers call into the bot's own services, so there is one store and one router.
/// </summary>
public sealed partial class HttpEndpointService(
    IOptions<HttpOptions> options,
    IEnumerable<IHttpEndpoints> contributors,
    IEnumerable<IComponentHealth> adapters,
    IDeliveryStore deliveries,
    ISourceStore sources,
    ILoggerFactory loggerFactory,
    ILogger<HttpEndpointService> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The addresses Kestrel listens on (with the real port when 0 was asked for).</summary>
    public IReadOnlyList<string> Addresses => _app?.Urls.ToList() ?? [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Urls))
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Value.Urls.Split(';'));
        builder.Services.AddSingleton(loggerFactory);
        _app = builder.Build();
        _app.MapGet("/healthz", HealthAsync);
        foreach (var contributor in contributors)
        {
            contributor.Map(_app);
        }

        await _app.StartAsync(cancellationToken);
        LogListening(logger, string.Join(", ", _app.Urls));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>
    /// Each component's state. 200 "ok"; 200 "degraded" when a platform or the feeds are down (the bot still works
    /// for the rest, and restarting would not fix a refused token or a Discord outage); 503 "unhealthy" only when the
    /// database does not answer. Two small queries: cheap enough for a probe every few seconds.
    /// </summary>
    private async Task<IResult> HealthAsync(CancellationToken cancellationToken)
    {
        var components = new JsonObject();
        long? pending = null;
        var failing = false;
        try
        {
            pending = await deliveries.CountPendingAsync(cancellationToken);
            components["database"] = Json(new ComponentHealth(HealthState.Ok, $"{pending} deliveries pending"));
            var feeds = FeedsHealth(await sources.CountByStateAsync(cancellationToken));
            failing = feeds.IsFailing;
            components["feeds"] = Json(feeds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnhealthy(logger, ex);
            components["database"] = Json(new ComponentHealth(HealthState.Down, $"{ex.GetType().Name}: {ex.Message}"));
        }

        foreach (var adapter in adapters)
        {
            var health = adapter.Check();
            failing |= health.IsFailing;
            components[adapter.Name] = Json(health);
        }

        var status = pending is null ? "unhealthy" : failing ? "degraded" : "ok";
        var body = new JsonObject { ["status"] = status, ["pending_deliveries"] = pending, ["components"] = components };
        return Results.Json(body, statusCode: pending is null ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    /// <summary>Down when every source that should be polled is failing (the network or a proxy is gone), not for one bad feed.</summary>
    private static ComponentHealth FeedsHealth(SourceStateCounts counts)
    {
        var polled = counts.Total - counts.Disabled - counts.Paused;
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{counts.Total} sources: {polled - counts.Failing} ok, {counts.Failing} failing, {counts.Disabled} disabled, {counts.Paused} paused");
        return new ComponentHealth(polled > 0 && counts.Failing == polled ? HealthState.Down : HealthState.Ok, detail);
    }

    private static JsonObject Json(ComponentHealth health)
    {
        var json = new JsonObject { ["state"] = health.State.ToString().ToLowerInvariant() };
        if (health.Detail is not null)
        {
            json["detail"] = health.Detail;
        }

        return json;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP endpoint listening on {Urls}")]
    private static partial void LogListening(ILogger logger, string urls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check failed")]
    private static partial void LogUnhealthy(ILogger logger, Exception exception);
}
