using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Feeds;
using NewsBot.Hosting;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Hosting;

public sealed class HttpEndpointTests
{
    [Fact]
    public async Task Healthz_WhenEnabled_ReportsOk()
    {
        using var folder = new TempFolder();
        using var host = TestHosts.Build(folder, new Dictionary<string, string?> { ["NewsBot:Http:Urls"] = "http://127.0.0.1:0" });
        await host.StartAsync(TestContext.Current.CancellationToken);
        var address = host.Services.GetRequiredService<HttpEndpointService>().Addresses.Single();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        using var response = await client.GetAsync(new Uri(new Uri(address), "/healthz"), TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
        var components = body.RootElement.GetProperty("components");
        Assert.Equal("ok", components.GetProperty("database").GetProperty("state").GetString());
        Assert.Equal("ok", components.GetProperty("feeds").GetProperty("state").GetString());
        Assert.Equal("off", components.GetProperty("discord").GetProperty("state").GetString());
        Assert.Equal("off", components.GetProperty("telegram").GetProperty("state").GetString());
        Assert.Equal("off", components.GetProperty("console").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Healthz_EverySourceFailing_DegradedNotFailed()
    {
        using var folder = new TempFolder();
        using var host = TestHosts.Build(folder, new Dictionary<string, string?>
        {
            ["NewsBot:Http:Urls"] = "http://127.0.0.1:0",
            ["NewsBot:Feeds:Sources:0:Url"] = folder.File("missing.xml"),
        });
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.Services.GetRequiredService<PollSignal>().FirstRound.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var address = host.Services.GetRequiredService<HttpEndpointService>().Addresses.Single();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        using var response = await client.GetAsync(new Uri(new Uri(address), "/healthz"), TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("degraded", body.RootElement.GetProperty("status").GetString());
        var feeds = body.RootElement.GetProperty("components").GetProperty("feeds");
        Assert.Equal("down", feeds.GetProperty("state").GetString());
        Assert.Contains("1 failing", feeds.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_NotConfigured_ListensNowhere()
    {
        using var folder = new TempFolder();
        using var host = TestHosts.Build(folder, new Dictionary<string, string?>());
        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Empty(host.Services.GetRequiredService<HttpEndpointService>().Addresses);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }
}
