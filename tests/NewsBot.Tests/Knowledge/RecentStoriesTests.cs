using Microsoft.Extensions.DependencyInjection;
using NewsBot.Knowledge;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Knowledge;

/// <summary>The word index behind story lookups finds the one retelling among many stories and forgets expired ones.</summary>
public sealed class RecentStoriesTests
{
    private const string StormTitle = "Storm Ellen cuts power to 40,000 homes along the north coast";
    private const string StormLead = "Storm Ellen brought gusts of 120 km/h to the north coast overnight, leaving 40,000 homes without power.";
    private const string RetoldTitle = "Storm Ellen leaves 40,000 north coast homes without power";
    private const string RetoldLead = "About 40,000 homes on the north coast lost power after Storm Ellen brought gusts of 120 km/h.";

    [Fact]
    public async Task FindAsync_RetellingAmongManyStories_FindsTheOriginalOfAnotherSource()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var herald = await bed.AddSourceAsync("herald");
        var courier = await bed.AddSourceAsync("courier");
        // Unrelated stories that share the common words of a news item ("north", "coast", "homes") but not the event.
        await bed.PublishAsync(herald, Enumerable.Range(0, 200)
            .Select(i => ($"Council {i} approves budget for homes on the north coast", (string?)$"The council of district {i} voted on housing plans.", Array.Empty<string>()))
            .ToArray());
        var original = Assert.Single(await bed.PublishAsync(herald, (StormTitle, StormLead, [])));
        var recent = new RecentStories(bed.Services.GetRequiredService<IArticleStore>(), bed.Clock);

        var fromCourier = await recent.FindAsync(Draft(courier, RetoldTitle, RetoldLead), TestContext.Current.CancellationToken);
        var fromHerald = await recent.FindAsync(Draft(herald, RetoldTitle, RetoldLead), TestContext.Current.CancellationToken);
        var unrelated = await recent.FindAsync(Draft(courier, "Heatwave pushes power demand to a summer record", "Grid operators asked factories to cut use."), TestContext.Current.CancellationToken);

        Assert.Equal(original.StoryId, fromCourier);
        Assert.Null(fromHerald);
        Assert.Null(unrelated);
    }

    [Fact]
    public async Task FindAsync_StoryOlderThanTwoDays_ForgottenAndNewerOneFound()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var herald = await bed.AddSourceAsync("herald");
        var courier = await bed.AddSourceAsync("courier");
        await bed.PublishAsync(herald, (StormTitle, StormLead, []));
        var recent = new RecentStories(bed.Services.GetRequiredService<IArticleStore>(), bed.Clock);
        Assert.NotNull(await recent.FindAsync(Draft(courier, RetoldTitle, RetoldLead), TestContext.Current.CancellationToken));

        bed.Clock.Advance(TimeSpan.FromHours(49));
        var afterExpiry = await recent.FindAsync(Draft(courier, RetoldTitle, RetoldLead), TestContext.Current.CancellationToken);
        var again = Assert.Single(await bed.PublishAsync(herald, (StormTitle, StormLead, [])));
        var afterRepeat = await recent.FindAsync(Draft(courier, RetoldTitle, RetoldLead), TestContext.Current.CancellationToken);

        Assert.Null(afterExpiry);
        Assert.Equal(again.StoryId, afterRepeat);
    }

    private static ArticleDraft Draft(Source source, string title, string lead) => new()
    {
        Source = source,
        DedupKey = "draft",
        Title = title,
        Teaser = lead,
    };
}
