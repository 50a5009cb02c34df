using System.Diagnostics;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Tests.TestSupport;
using NewsBot.Text;

namespace NewsBot.Tests.Publishing;

[Collection(TimeBoundCollection.Name)]
public sealed class SubscriptionMatcherTests
{
    private readonly SubscriptionMatcher _matcher = new();

    [Theory]
    [InlineData("solar", "Solar farm opens", true)]
    [InlineData("solar", "Solarpunk fiction", false)]
    [InlineData("/^new\\b/", "New rules for bikes", true)]
    [InlineData("/colou?r/", "Color theory", true)]
    [InlineData("/colou?r/", "Cooler weather", false)]
    public void Matches_Include_WholeWordsOrRegex(string filter, string title, bool expected) =>
        Assert.Equal(expected, _matcher.Matches(new Subscription { Include = [filter] }, Article(title)));

    [Fact]
    public void Matches_Exclude_WinsOverInclude() =>
        Assert.False(_matcher.Matches(new Subscription { Include = ["solar"], Exclude = ["rumour"] }, Article("Solar rumour denied")));

    [Fact]
    public void Matches_CatastrophicPattern_RunsInLinearTime()
    {
        var evil = new string('a', 50_000) + "!";
        var watch = Stopwatch.StartNew();

        var matched = _matcher.Matches(new Subscription { Include = ["/^(a+)+$/", "/(a|aa)+b/"] }, Article(evil));

        Assert.False(matched);
        // A backtracking engine needs longer than the universe's age here and would stop only at the match timeout
        // (reading as "no match"); the non-backtracking one is linear and answers well inside it.
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, SafeRegex.MatchTimeout / 2);
    }

    [Theory]
    [InlineData("/(a)\\1/", "does not support")]
    [InlineData("/[unclosed/", "not a valid regular expression")]
    [InlineData("  ", "empty")]
    public void Validate_BadFilter_SaysWhy(string filter, string expected) =>
        Assert.Contains(expected, SubscriptionMatcher.Validate(filter), StringComparison.Ordinal);

    private static Article Article(string title) => new() { DedupKey = title, Title = title };
}
