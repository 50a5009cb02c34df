using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Storage;

namespace NewsBot.Hosting;

/// <summary>The "NewsBot:Http" section: the optional HTTP endpoint (health, webhooks, interactions).</summary>
public sealed class HttpOptions
{
    public const string Section = "NewsBot:Http";

    /// <summary>Where to listen, e.g. "http://0.0.0.0:8080"; empty means no HTTP endpoint at all.</summary>
    [RegularExpression(@"^$|^https?://\S+(;https?://\S+)*$", ErrorMessage = "NewsBot:Http:Urls must be empty or http(s) URLs separated by ';', e.g. http://0.0.0.0:8080.")]
    public string Urls { get; set; } = "";
}

/// <summary>Something an area serves over HTTP (a Telegram webhook, Discord interactions); mapped when the endpoint is on.</summary>
public interface IHttpEndpoints
{
    void Map(IEndpointRouteBuilder endpoints);
}

/// <summary>
/// Runs a small Kestrel app beside the bot when NewsBot:Http:Urls is set: /healthz plus every area's endpoints.
/// Its handlers call into the bot's own services, so there is one store and one router.
/// </summary>
public sealed partial class HttpEndpointService(
    IOptions<HttpOptions> options,
    IEnumerable<IHttpEndpoints> contributors,
    IStorageMaintenance database,
    IDeliveryStore deliveries,
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

    /// <summary>200 when the database answers; 503 otherwise. Cheap enough for a probe every few seconds.</summary>
    private async Task<IResult> HealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            await database.PingAsync(cancellationToken);
            var pending = await deliveries.CountPendingAsync(cancellationToken);
            return Results.Json(new { status = "ok", pending_deliveries = pending });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnhealthy(logger, ex);
            return Results.Json(new { status = "unhealthy", error = ex.GetType().Name }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP endpoint listening on {Urls}")]
    private static partial void LogListening(ILogger logger, string urls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check failed")]
    private static partial void LogUnhealthy(ILogger logger, Exception exception);
}
