using System.Diagnostics;
using NewsBot.Knowledge;
using NewsBot.Tests.TestSupport;
using NewsBot.Text;

namespace NewsBot.Tests.Knowledge;

[Collection(TimeBoundCollection.Name)]
public class TopicRuleTests
{
    [Theory]
    [InlineData("OpenAI ships a new AI model", true)]
    [InlineData("Regulators look at ai rules", true)]
    [InlineData("He said the rain will stop", false)]
    [InlineData("Machine learning on the edge", true)]
    public void Matches_Keywords_WholeWordsAnyCase(string title, bool expected)
    {
        var rule = new TopicRule("AI", ["AI", "machine learning"], null);

        Assert.Equal(expected, rule.Matches(title, null));
    }

    [Fact]
    public void Matches_KeywordInText_Matches() =>
        Assert.True(new TopicRule("Climate", ["emissions"], null).Matches("Summit ends", "Talks on emissions stalled."));

    [Fact]
    public void Matches_ChineseKeyword_MatchesInsideText() =>
        Assert.True(new TopicRule("AI", ["人工智能"], null).Matches("中国发布人工智能新规", null));

    [Fact]
    public void Matches_Pattern_MatchesCaseInsensitively()
    {
        var rule = new TopicRule("Elections", null, @"\belection(s)?\b|\bpolls?\b");

        Assert.True(rule.Matches("ELECTIONS in May", null));
        Assert.False(rule.Matches("Selection day", null));
    }

    [Fact]
    public void Matches_CatastrophicPattern_ReturnsQuickly()
    {
        // (a+)+$ takes exponential time in a backtracking engine on "aaaa…b".
        var rule = new TopicRule("Evil", null, "(a+)+$");
        var input = new string('a', 50_000) + "b";

        var watch = Stopwatch.StartNew();
        var matched = rule.Matches(input, input);

        Assert.False(matched);
        // Well inside the match timeout: a backtracking engine would only stop there, and read as "no match".
        Assert.True(watch.Elapsed < SafeRegex.MatchTimeout / 2, $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("(unclosed")]
    [InlineData(@"(\w)\1")]
    public void ValidatePattern_InvalidOrUnsupported_ReturnsReason(string pattern) =>
        Assert.False(string.IsNullOrEmpty(TopicRule.ValidatePattern(pattern)));

    [Fact]
    public void ValidatePattern_Valid_ReturnsNull() => Assert.Null(TopicRule.ValidatePattern("^breaking"));
}
