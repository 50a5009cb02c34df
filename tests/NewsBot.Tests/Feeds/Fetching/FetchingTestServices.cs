using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Feeds;
using NewsBot.Feeds.Fetching;

namespace NewsBot.Tests.Feeds.Fetching;

/// <summary>The real fetching registrations with test options: loopback allowed unless a test says otherwise.</summary>
internal static class FetchingTestServices
{
    public static ServiceProvider Create(Action<FeedsOptions>? configure = null, TimeProvider? time = null, FeedNetwork? network = null)
    {
        var services = new ServiceCollection();
        services.AddOptions<FeedsOptions>().Configure(options =>
        {
            options.AllowPrivateAddresses = true;
            options.MaxBytes = 1024 * 1024;
            options.Timeout = TimeSpan.FromSeconds(30);
            configure?.Invoke(options);
        });
        services.AddSingleton(time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero)));
        if (network is not null)
        {
            services.AddSingleton(network);
        }

        services.AddFeedFetching();
        return services.BuildServiceProvider();
    }

    public static FeedFetcher Fetcher(this ServiceProvider services) => services.GetRequiredService<FeedFetcher>();
}

/// <summary>
/// A pretend internet: names resolve to the addresses the test chooses, and connections to those addresses
/// land on the loopback server, the way a public host would answer. The guard still sees the pretend addresses.
/// </summary>
internal sealed class SimulatedNetwork(IReadOnlyDictionary<string, IPAddress[]> names) : FeedNetwork
{
    public List<IPEndPoint> Connections { get; } = [];

    public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        names.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));

    public override ValueTask<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        lock (Connections)
        {
            Connections.Add(endpoint);
        }

        return base.ConnectAsync(new IPEndPoint(IPAddress.Loopback, endpoint.Port), cancellationToken);
    }
}
