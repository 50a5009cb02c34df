using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Commands;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands;

/// <summary>Suggestions come from what the catalogue declares an option takes, through Commands, for any platform.</summary>
public sealed class CommandAutocompleteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Suggest_SourceOption_MatchesNameOrUrlWithIdAsValue()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        await bed.AddSourceAsync("news");
        var wire = await bed.AddSourceAsync("wire");
        var autocomplete = bed.Services.GetRequiredService<CommandAutocomplete>();

        var byName = await autocomplete.SuggestAsync("subscribe", "target", "WIR", 25, Ct);
        var byUrl = await autocomplete.SuggestAsync("latest", "source", "wire.example", 25, Ct);

        Assert.Equal([new OptionSuggestion("wire", wire.Id.ToString(CultureInfo.InvariantCulture))], byName);
        Assert.Equal(byName, byUrl);
    }

    [Fact]
    public async Task Suggest_NothingTypedYet_EverySourceUpToTheLimit()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        foreach (var name in new[] { "alpha", "beta", "gamma" })
        {
            await bed.AddSourceAsync(name);
        }

        var suggestions = await bed.Services.GetRequiredService<CommandAutocomplete>().SuggestAsync("unsubscribe", "target", "", 2, Ct);

        Assert.Equal(["alpha", "beta"], suggestions.Select(s => s.Label));
    }

    [Fact]
    public async Task Suggest_TopicOption_StoredTopicNames()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await bed.AddSourceAsync("news");
        await bed.PublishAsync(source, ("Councils plan for hotter summers", null, ["Climate"]), ("Bus fares rise", null, ["Transport"]));

        var suggestions = await bed.Services.GetRequiredService<CommandAutocomplete>().SuggestAsync("topic", "name", "cli", 25, Ct);

        Assert.Equal([new OptionSuggestion("Climate", "Climate")], suggestions);
    }

    [Theory]
    [InlineData("latest", "count")]
    [InlineData("search", "query")]
    [InlineData("nosuchcommand", "source")]
    [InlineData("latest", "nosuchoption")]
    public async Task Suggest_OptionWithoutSuggestions_Nothing(string command, string option)
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        await bed.AddSourceAsync("news");

        Assert.Empty(await bed.Services.GetRequiredService<CommandAutocomplete>().SuggestAsync(command, option, "", 25, Ct));
    }
}
