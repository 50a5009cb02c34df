using System.Diagnostics.Metrics;

namespace NewsBot.Runtime;

/// <summary>
/// The bot's metrics (meter "NewsBot"). Recorded where state changes are stored, so every path that polls a
/// source or settles a delivery is counted once; exported by OpenTelemetry when configured.
/// </summary>
public sealed class NewsBotMetrics
{
    public const string MeterName = "NewsBot";

    private readonly Counter<long> _polls;
    private readonly Counter<long> _articles;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _rateLimited;
    private readonly Histogram<double> _deliveryLatency;

    public NewsBotMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _polls = meter.CreateCounter<long>("newsbot.source.polls", description: "Source polls by outcome (ok, failed, disabled)");
        _articles = meter.CreateCounter<long>("newsbot.articles.stored", description: "New articles stored");
        _deliveries = meter.CreateCounter<long>("newsbot.deliveries", description: "Delivery outcomes (sent, digested, retry, failed)");
        _rateLimited = meter.CreateCounter<long>("newsbot.platform.rate_limited", description: "429 / flood-wait answers from a platform");
        _deliveryLatency = meter.CreateHistogram<double>("newsbot.delivery.latency", unit: "s", description: "From planning a delivery to the platform accepting it");
    }

    public void SourcePolled(string outcome) => _polls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void ArticlesStored(int count) => _articles.Add(count);

    public void DeliveriesSettled(string outcome, int count) => _deliveries.Add(count, new KeyValuePair<string, object?>("outcome", outcome));

    public void DeliveryLatency(TimeSpan latency) => _deliveryLatency.Record(latency.TotalSeconds);

    public void RateLimited(string platform) => _rateLimited.Add(1, new KeyValuePair<string, object?>("platform", platform));
}
