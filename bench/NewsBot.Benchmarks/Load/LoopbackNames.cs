using System.Net;
using NewsBot.Feeds.Fetching;

namespace NewsBot.Benchmarks.Load;

/// <summary>
/// A pretend internet on loopback. Names under <see cref="Suffix"/> resolve to 127.0.0.1, so many sources on one
/// fake server count as many hosts for the per-host gate, as real feeds on real sites would. Names under
/// <see cref="PublicSuffix"/> resolve to <see cref="PublicAddress"/>, which the SSRF guard accepts as public, and
/// connections to it land on loopback: a public site that can still redirect somewhere private.
/// Every other name resolves as usual.
/// </summary>
public sealed class LoopbackNames : FeedNetwork
{
    public const string Suffix = ".load.test";
    public const string PublicSuffix = ".public.test";

    /// <summary>A documentation address (RFC 5737 TEST-NET-3) that no real connection ever reaches here.</summary>
    public static readonly IPAddress PublicAddress = IPAddress.Parse("203.0.113.7");

    /// <summary>The n-th fake host name.</summary>
    public static string Host(int n) => $"site{n}{Suffix}";

    public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        host.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase) ? Task.FromResult(new[] { IPAddress.Loopback })
        : host.EndsWith(PublicSuffix, StringComparison.OrdinalIgnoreCase) ? Task.FromResult(new[] { PublicAddress })
        : base.ResolveAsync(host, cancellationToken);

    public override ValueTask<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken) =>
        base.ConnectAsync(endpoint.Address.Equals(PublicAddress) ? new IPEndPoint(IPAddress.Loopback, endpoint.Port) : endpoint, cancellationToken);
}
