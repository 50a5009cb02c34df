using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NewsBot.Platforms.Console;
using NewsBot.Hosting;

namespace NewsBot.Tests.TestSupport;

/// <summary>Builds the real NewsBot host for tests: a temp database, given settings, the console captured.</summary>
public static class TestHosts
{
    public static IHost Build(TempFolder folder, IReadOnlyDictionary<string, string?> settings, ConsoleIO? console = null, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = NewsBotHost.CreateBuilder([], folder.Path, b =>
        {
            b.Configuration.Sources.Clear();
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["NewsBot:Database"] = folder.File("newsbot.db"),
                ["NewsBot:Console:Enabled"] = console is null ? "off" : "on",
            });
            b.Configuration.AddInMemoryCollection(settings);
            b.Logging.ClearProviders();
            if (console is not null)
            {
                b.Services.AddSingleton(console);
            }

            configure?.Invoke(b);
        });
        return builder.Build();
    }

    /// <summary>GET /healthz of a started host with NewsBot:Http:Urls set: status code, JSON body and the endpoint's address.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body, string Address)> GetHealthAsync(IHost host)
    {
        var address = host.Services.GetRequiredService<HttpEndpointService>().Addresses.Single();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        using var response = await client.GetAsync(new Uri(new Uri(address), "/healthz"), TestContext.Current.CancellationToken);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (response.StatusCode, body.RootElement.Clone(), address);
    }

    /// <summary>Settings that watch the repository's sample feed.</summary>
    public static Dictionary<string, string?> SampleFeed() => new()
    {
        ["NewsBot:Feeds:Sources:0:Url"] = Path.Combine(RepositoryPaths.Samples, "feed.xml"),
        ["NewsBot:Feeds:Sources:0:Name"] = "Samples",
    };
}
