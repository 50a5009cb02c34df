namespace NewsBot.Tests.TestSupport;

/// <summary>
/// Tests that assert a wall-clock bound run alone, after the parallel ones: on a 2-core machine the rest of the suite
/// would otherwise measure its own load, not the code under test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimeBoundCollection
{
    public const string Name = "Time-bound tests";
}
