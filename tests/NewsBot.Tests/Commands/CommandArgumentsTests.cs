using NewsBot.Commands;

namespace NewsBot.Tests.Commands;

public sealed class CommandArgumentsTests
{
    private readonly CommandCatalogue _catalogue = new();

    [Fact]
    public void Parse_NumberAndWords_GoToTypedOptions()
    {
        var parsed = CommandArguments.Parse(_catalogue.Find("latest")!, "ai 5");

        Assert.Null(parsed.Error);
        Assert.Equal("ai", parsed.Values["topic"]);
        Assert.Equal(5L, parsed.Values["count"]);
    }

    [Fact]
    public void Parse_ExtraWords_JoinTheLastStringOption()
    {
        var parsed = CommandArguments.Parse(_catalogue.Find("topic")!, "climate change 3");

        Assert.Equal("climate change", parsed.Values["name"]);
        Assert.Equal(3L, parsed.Values["count"]);
    }

    [Fact]
    public void Parse_RestOption_KeepsNumbersInTheQuery()
    {
        var parsed = CommandArguments.Parse(_catalogue.Find("search")!, "iphone 16 count:4");

        Assert.Equal("iphone 16", parsed.Values["query"]);
        Assert.Equal(4L, parsed.Values["count"]);
    }

    [Theory]
    [InlineData("latest", "count:50", "count must be between 1 and 20")]
    [InlineData("latest", "count:lots", "count must be a whole number")]
    [InlineData("topic", "", "Missing name")]
    [InlineData("topics", "month", "window must be one of: 24h, 7d")]
    [InlineData("subscribe", "all summary:maybe", "summary must be on or off")]
    public void Parse_BadArgument_SaysWhatWasExpected(string command, string text, string expected)
    {
        var parsed = CommandArguments.Parse(_catalogue.Find(command)!, text);

        Assert.NotNull(parsed.Error);
        Assert.Contains(expected, parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_QuotedValue_StaysOneValue()
    {
        var parsed = CommandArguments.Parse(_catalogue.Find("latest")!, "\"local politics\" 2");

        Assert.Equal("local politics", parsed.Values["topic"]);
    }
}

public sealed class PositionalArgumentsTests
{
    private readonly CommandCatalogue _catalogue = new();

    [Theory]
    [InlineData("subscribe", "2", "target", "2")]
    [InlineData("subscribe", "7", "target", "7")]
    [InlineData("subscribe", "City News", "target", "City News")]
    [InlineData("unsubscribe", "2", "target", "2")]
    [InlineData("source", "remove 2", "target", "2")]
    [InlineData("source", "add https://example.org/ My Site", "name", "My Site")]
    [InlineData("latest", "5", "count", 5L)]
    [InlineData("latest", "climate 5", "topic", "climate")]
    [InlineData("topic", "climate 3", "count", 3L)]
    [InlineData("settings", "10", "max_per_hour", 10L)]
    [InlineData("summary", "2f", "article", "2f")]
    public void Parse_PositionalWord_FillsTheSensibleOption(string command, string text, string option, object expected)
    {
        var parsed = CommandArguments.Parse(_catalogue.Find(command)!, text);

        Assert.Null(parsed.Error);
        Assert.Equal(expected, parsed.Values[option]);
    }

    [Fact]
    public void Parse_SubscribeWithNumberAfterTarget_IsNeverRelated()
    {
        var parsed = CommandArguments.Parse(_catalogue.Find("subscribe")!, "all 3");

        Assert.False(parsed.Values.ContainsKey("related"));
    }

    [Fact]
    public void Parse_RestOption_KeepsQuotedPhrasesForTheSearch()
    {
        var parsed = CommandArguments.Parse(_catalogue.Find("search")!, "\"bike lanes\" -parking title:\"main street\" count:3");

        Assert.Equal("\"bike lanes\" -parking title:\"main street\"", parsed.Values["query"]);
        Assert.Equal(3L, parsed.Values["count"]);
    }
}
