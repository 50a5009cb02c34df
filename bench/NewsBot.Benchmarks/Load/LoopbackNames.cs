using System.Net;
using NewsBot.Feeds.Fetching;

namespace NewsBot.Benchmarks.Load;

/// <summary>
/// Names under <see cref="Suffix"/> resolve to 127.0.0.1, so many sources on one fake server count as many
/// hosts for the per-host gate, as real feeds on real sites would. Every other name resolves as usual.
/// </summary>
public sealed class LoopbackNames : FeedNetwork
{
    public const string Suffix = ".load.test";

    /// <summary>The n-th fake host name.</summary>
    public static string Host(int n) => $"site{n}{Suffix}";

    public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        host.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase)
            ? Task.FromResult(new[] { IPAddress.Loopback })
            : base.ResolveAsync(host, cancellationToken);
}
