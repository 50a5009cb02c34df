using NewsBot.Runtime;

namespace NewsBot.Tests.TestSupport;

/// <summary>Something a test process holds, as it would describe itself for /status (e.g. "shards 0, 2").</summary>
public sealed class FixedHoldings(params string[] items) : IClusterHoldings
{
    public IEnumerable<string> Describe() => items;
}
