using System.Diagnostics;
using System.Text.RegularExpressions;
using NewsBot.Tests.TestSupport;
using NewsBot.Text;

namespace NewsBot.Tests.Text;

/// <summary>
/// Admins' patterns cannot stall the bot. A timed-out match counts as "no match", so "returned false quickly" alone
/// would also pass with a backtracking engine that gave up at the timeout: these tests require the match to finish
/// well inside the timeout, and show the input really is catastrophic for a backtracking engine.
/// </summary>
[Collection(TimeBoundCollection.Name)]
public sealed class SafeRegexTests
{
    public static readonly TheoryData<string> CatastrophicPatterns = new() { "^(a+)+$", "(a|aa)+b", "(a+)+$", "(\\w+\\s?)+$" };

    private static readonly string Evil = new string('a', 50_000) + "!";

    [Theory]
    [MemberData(nameof(CatastrophicPatterns))]
    public void IsMatch_CatastrophicPattern_AnswersWellInsideTheTimeout(string pattern)
    {
        var regex = SafeRegex.Create(pattern);
        var watch = Stopwatch.StartNew();

        // Regex.IsMatch, not SafeRegex.IsMatch: a timeout must throw here, not read as "no match".
        var matched = regex.IsMatch(Evil);

        Assert.False(matched);
        Assert.True(watch.Elapsed < SafeRegex.MatchTimeout / 2, $"took {watch.Elapsed.TotalMilliseconds:F0} ms of a {SafeRegex.MatchTimeout.TotalMilliseconds:F0} ms timeout");
    }

    [Theory]
    [MemberData(nameof(CatastrophicPatterns))]
    public void BacktrackingEngine_SameInput_RunsOutOfTime(string pattern)
    {
        // The control: the same pattern and input on .NET's backtracking engine do not finish in the safe engine's
        // timeout, so the test above fails if SafeRegex ever stops using the non-backtracking engine.
        var backtracking = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, SafeRegex.MatchTimeout);

        Assert.Throws<RegexMatchTimeoutException>(() => backtracking.IsMatch(Evil));
    }
}
