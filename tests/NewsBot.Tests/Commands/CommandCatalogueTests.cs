using NewsBot.Commands;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands;

/// <summary>What the catalogue declares about commands, which the adapters read instead of command names.</summary>
public sealed class CommandCatalogueTests
{
    private static readonly CommandCatalogue Catalogue = new();

    [Theory]
    [InlineData("start", "help")]
    [InlineData("START", "help")]
    [InlineData("Subscribe", "subscribe")]
    public void Find_NameOrAlias_TheCommand(string typed, string expected) =>
        Assert.Equal(expected, Catalogue.Find(typed)?.Name);

    [Fact]
    public void Aliases_NeverANameOrAnotherCommandsAlias()
    {
        var words = Catalogue.All.SelectMany(c => c.Aliases.Prepend(c.Name)).ToList();

        Assert.Equal(words.Count, words.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void StartsPosting_DeclaredBySubscribeOnly()
    {
        // Adapters check posting rights before, and clear a channel's earlier refusals after, exactly these commands.
        Assert.Equal(["subscribe"], Catalogue.All.Where(c => c.StartsPosting).Select(c => c.Name));
    }

    [Fact]
    public async Task Route_Alias_AnsweredByItsCommand()
    {
        using var bed = await DeliveryTestBed.CreateAsync();

        var start = await bed.RunAsync("start", admin: false);
        var help = await bed.RunAsync("help", admin: false);

        Assert.False(start.IsError, ReplyText.Of(start));
        Assert.Equal(ReplyText.Of(help), ReplyText.Of(start));
    }
}
