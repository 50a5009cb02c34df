using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace NewsBot.Benchmarks.FanOut;

/// <summary>
/// Client-side HTTP request durations per server port, from the runtime's own "http.client.request.duration"
/// histogram: each fake listens on its own port, so this is each platform's round trip as NewsBot saw it.
/// </summary>
public sealed class RoundTrips : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<int, ConcurrentBag<double>> _byPort = new();

    public RoundTrips()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.request.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "server.port", Value: int port })
                {
                    _byPort.GetOrAdd(port, static _ => []).Add(seconds);
                }
            }
        });
        _listener.Start();
    }

    /// <summary>Median in milliseconds (the median, so Telegram's few long polls do not count), 0 when none.</summary>
    public double MedianMilliseconds(int port)
    {
        if (!_byPort.TryGetValue(port, out var samples) || samples.IsEmpty)
        {
            return 0;
        }

        var sorted = samples.Order().ToList();
        return Math.Round(sorted[sorted.Count / 2] * 1000, 1);
    }

    public void Dispose() => _listener.Dispose();
}
