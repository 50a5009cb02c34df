using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Feeds;
using NewsBot.Hosting;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Hosting;

public sealed class HttpEndpointTests(PostgresServer server)
{
    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Healthz_WhenEnabled_ReportsOk(string engine)
    {
        using var folder = new TempFolder();
        using var host = TestHosts.Build(folder, await StorageEngines.SettingsAsync(engine, server, new Dictionary<string, string?> { ["NewsBot:Http:Urls"] = "http://127.0.0.1:0" }));
        await host.StartAsync(TestContext.Current.CancellationToken);
        var (status, body, _) = await TestHosts.GetHealthAsync(host);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        var components = body.GetProperty("components");
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
        var (status, body, _) = await TestHosts.GetHealthAsync(host);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        var feeds = body.GetProperty("components").GetProperty("feeds");
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
