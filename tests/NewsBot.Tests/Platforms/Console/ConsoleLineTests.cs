using NewsBot.Commands;
using NewsBot.Platforms.Console;

namespace NewsBot.Tests.Platforms.Console;

public sealed class ConsoleLineTests
{
    private readonly CommandCatalogue _catalogue = new();

    [Theory]
    [InlineData("/latest 3", "latest", "3")]
    [InlineData("help", "help", "")]
    [InlineData("  latest  climate 3 ", "latest", "climate 3")]
    [InlineData("Sources", "Sources", "")]
    public void ParseLine_CommandWithOrWithoutSlash_IsARequest(string line, string name, string arguments)
    {
        var (request, hint) = ConsoleCommandService.ParseLine(line, _catalogue);

        Assert.Null(hint);
        Assert.Equal(name, request!.Name);
        Assert.Equal(arguments, request.ArgumentText);
    }

    [Fact]
    public void ParseLine_OtherText_GetsAShortHint()
    {
        var (request, hint) = ConsoleCommandService.ParseLine("what is new today", _catalogue);

        Assert.Null(request);
        Assert.Equal("\"what\" is not a command. Commands start with a slash; see them all with /help.", hint);
    }

    [Fact]
    public void ParseLine_BlankLine_IsIgnored() =>
        Assert.Equal((null, null), ConsoleCommandService.ParseLine("   ", _catalogue));
}
