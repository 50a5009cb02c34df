using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using NewsBot.Commands;
using NewsBot.Platforms.Discord;
using NewsBot.Platforms.Console;
using NewsBot.Feeds;
using NewsBot.Knowledge;
using NewsBot.Platforms;
using NewsBot.Publishing;
using NewsBot.Reading;
using NewsBot.Runtime;
using NewsBot.Storage;
using NewsBot.Platforms.Telegram;

namespace NewsBot.Hosting;

/// <summary>Composes the host: configuration from the folder that holds appsettings.json, then every area.</summary>
public static class NewsBotHost
{
    /// <param name="configure">Runs before the areas are added: tests use it to replace configuration, console IO or the clock.</param>
    public static HostApplicationBuilder CreateBuilder(string[] args, string? contentRoot = null, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = contentRoot ?? FindContentRoot(),
        });
        builder.AddTelemetry();
        configure?.Invoke(builder);
        builder.AddNewsBot();
        return builder;
    }

    public static HostApplicationBuilder AddNewsBot(this HostApplicationBuilder builder)
    {
        builder.Services
            .AddStorage(builder.Configuration)
            .AddFeeds()
            .AddReading()
            .AddKnowledge()
            .AddKnowledgeArchive()
            .AddPublishing()
            .AddCommands()
            .AddConsolePlatform(builder.Configuration)
            .AddTelegramPlatform(builder.Configuration)
            .AddDiscordPlatform(builder.Configuration);
        builder.Services.AddOptions<HttpOptions>().BindConfiguration(HttpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<HttpEndpointService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HttpEndpointService>());
        return builder;
    }

    /// <summary>Logs to stderr (stdout carries posts, replies and CLI output), as text or JSON; metrics over OTLP when configured.</summary>
    private static void AddTelemetry(this HostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var settings = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Logging.ClearProviders();
        if (settings.LogFormat == "json")
        {
            builder.Logging.AddJsonConsole(options => options.UseUtcTimestamp = true);
        }
        else
        {
            builder.Logging.AddSimpleConsole(options => options.SingleLine = false);
        }

        builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        if (Uri.TryCreate(settings.OtlpEndpoint, UriKind.Absolute, out var endpoint))
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(NewsBotMetrics.MeterName)
                .AddOtlpExporter(exporter => exporter.Endpoint = endpoint));
        }
    }

    /// <summary>
    /// The current folder when it holds appsettings.json (running from the repository root), else the binary's
    /// folder (a published app). Relative paths in the configuration are relative to this folder.
    /// </summary>
    public static string FindContentRoot()
    {
        var current = Directory.GetCurrentDirectory();
        return File.Exists(Path.Combine(current, "appsettings.json")) ? current : AppContext.BaseDirectory;
    }
}
