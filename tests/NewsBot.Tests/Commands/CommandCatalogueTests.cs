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
    public async Task Route_EveryAlias_AnsweredAsItsCommand()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var aliases = Catalogue.All.SelectMany(c => c.Aliases.Select(alias => (Alias: alias, Command: c.Name))).ToList();

        // Names are checked one to one against the handlers (CommandRouterTests); aliases only route through Find.
        Assert.NotEmpty(aliases);
        foreach (var (alias, command) in aliases)
        {
            var viaAlias = await bed.RunAsync(alias, admin: false);
            var viaName = await bed.RunAsync(command, admin: false);

            Assert.DoesNotContain("There is no command", ReplyText.Of(viaAlias), StringComparison.Ordinal);
            Assert.Equal(ReplyText.Of(viaName), ReplyText.Of(viaAlias));
        }
    }
}
