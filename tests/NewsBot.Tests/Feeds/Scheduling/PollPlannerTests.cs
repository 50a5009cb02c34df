using Microsoft.Extensions.Options;
using NewsBot.Feeds;
using NewsBot.Feeds.Scheduling;

namespace NewsBot.Tests.Feeds.Scheduling;

public class PollPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan Max = TimeSpan.FromHours(6);

    [Fact]
    public void NextAfterSuccess_NoHints_UsesPollInterval() =>
        Assert.Equal(Now + Interval, Planner().NextAfterSuccess(Now, null, null));

    [Theory]
    [InlineData(60, null, 60)]
    [InlineData(null, 45, 45)]
    [InlineData(30, 90, 90)]
    [InlineData(5, null, 10)]
    [InlineData(null, 0, 10)]
    [InlineData(24 * 60, null, 6 * 60)]
    [InlineData(null, 7 * 24 * 60, 6 * 60)]
    public void NextAfterSuccess_FeedHints_OnlyStretchWithinMax(int? feedMinutes, int? maxAgeMinutes, int expectedMinutes)
    {
        var next = Planner().NextAfterSuccess(Now, Minutes(feedMinutes), Minutes(maxAgeMinutes));

        Assert.Equal(Now + TimeSpan.FromMinutes(expectedMinutes), next);
    }

    [Fact]
    public void NextAfterSuccess_PollIntervalBelowMin_IsRaisedToMin()
    {
        var planner = Planner(options => options.PollInterval = TimeSpan.FromSeconds(30));

        Assert.Equal(Now + TimeSpan.FromMinutes(2), planner.NextAfterSuccess(Now, null, null));
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(4, 80)]
    [InlineData(5, 160)]
    [InlineData(6, 320)]
    [InlineData(7, 360)]
    [InlineData(1000, 360)]
    public void NextAfterFailure_NoJitter_DoublesPerFailureUpToMax(int failures, int expectedMinutes)
    {
        var next = Planner(random: new FixedRandom(0)).NextAfterFailure(Now, failures, null);

        Assert.Equal(Now + TimeSpan.FromMinutes(expectedMinutes), next);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(1000)]
    public void NextAfterFailure_FullJitter_ShortensByAtMostAQuarter(int failures)
    {
        var nominal = Planner(random: new FixedRandom(0)).NextAfterFailure(Now, failures, null) - Now;

        var shortest = Planner(random: new FixedRandom(0.999999)).NextAfterFailure(Now, failures, null) - Now;

        Assert.InRange(shortest, nominal * 0.75, nominal * 0.7501);
    }

    [Fact]
    public void NextAfterFailure_SeededRandom_SpreadsWithinBounds()
    {
        var planner = Planner(random: new Random(1234));

        var delays = Enumerable.Range(0, 500).Select(_ => planner.NextAfterFailure(Now, 3, null) - Now).ToList();

        Assert.All(delays, delay => Assert.InRange(delay, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(40)));
        Assert.True(delays.Distinct().Count() > 400, "sources failing together should retry at different times");
        Assert.True(delays.Max() - delays.Min() > TimeSpan.FromMinutes(9), "jitter should use most of its range");
    }

    [Fact]
    public void NextAfterFailure_RetryAfterLongerThanBackoff_IsHonoured()
    {
        var next = Planner(random: new FixedRandom(0.5)).NextAfterFailure(Now, 1, TimeSpan.FromMinutes(45));

        Assert.Equal(Now + TimeSpan.FromMinutes(45), next);
    }

    [Fact]
    public void NextAfterFailure_RetryAfterShorterThanBackoff_KeepsBackoff()
    {
        var next = Planner(random: new FixedRandom(0)).NextAfterFailure(Now, 2, TimeSpan.FromSeconds(30));

        Assert.Equal(Now + TimeSpan.FromMinutes(20), next);
    }

    [Fact]
    public void NextAfterFailure_RetryAfterBeyondMax_IsCappedAtMax()
    {
        var next = Planner().NextAfterFailure(Now, 1, TimeSpan.FromDays(365));

        Assert.Equal(Now + Max, next);
    }

    [Fact]
    public void NextAfterFailure_NoFailures_IsABug() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Planner().NextAfterFailure(Now, 0, null));

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public void ShouldDisable_AtMaxConsecutiveFailures_IsTrue(int failures, bool expected) =>
        Assert.Equal(expected, Planner(options => options.MaxConsecutiveFailures = 3).ShouldDisable(failures));

    private static TimeSpan? Minutes(int? minutes) => minutes is { } m ? TimeSpan.FromMinutes(m) : null;

    private static PollPlanner Planner(Action<FeedsOptions>? configure = null, Random? random = null)
    {
        var options = new FeedsOptions
        {
            PollInterval = Interval,
            MinPollInterval = TimeSpan.FromMinutes(2),
            MaxPollInterval = Max,
        };
        configure?.Invoke(options);
        return new PollPlanner(Options.Create(options), random ?? new Random(42));
    }

    /// <summary>Pins jitter to one end of its range.</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
