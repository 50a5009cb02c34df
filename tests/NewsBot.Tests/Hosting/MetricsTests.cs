using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NewsBot.Platforms.Console;
using NewsBot.Runtime;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Hosting;

public sealed class MetricsTests
{
    [Fact]
    public async Task SampleRun_CountsPollsArticlesAndSentDeliveries()
    {
        using var folder = new TempFolder();
        var output = new CapturingWriter();
        using var host = TestHosts.Build(folder, TestHosts.SampleFeed(), new ConsoleIO(new LineFeeder(), output));
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        using var deliveries = new MetricCollector<long>(meters, NewsBotMetrics.MeterName, "newsbot.deliveries");
        using var articles = new MetricCollector<long>(meters, NewsBotMetrics.MeterName, "newsbot.articles.stored");
        using var polls = new MetricCollector<long>(meters, NewsBotMetrics.MeterName, "newsbot.source.polls");
        using var latency = new MetricCollector<double>(meters, NewsBotMetrics.MeterName, "newsbot.delivery.latency");

        await host.StartAsync(TestContext.Current.CancellationToken);
        await latency.WaitForMeasurementsAsync(5, TimeSpan.FromSeconds(30));
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(5, deliveries.GetMeasurementSnapshot().Where(m => (string?)m.Tags["outcome"] == "sent").Sum(m => m.Value));
        Assert.Equal(5, articles.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Contains(polls.GetMeasurementSnapshot(), m => (string?)m.Tags["outcome"] == "ok");
        Assert.Equal(5, latency.GetMeasurementSnapshot().Count);
    }
}
