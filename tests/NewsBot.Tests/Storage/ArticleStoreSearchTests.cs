using Microsoft.Extensions.DependencyInjection;
using NewsBot.Commands;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>Search through the real store and index: what the window, the prefix rule and the ranking do to results.</summary>
public sealed class ArticleStoreSearchTests(PostgresServer server)
{
    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task SearchAsync_MatchesOnlyBeforeTheWindow_WidensToTheWholeArchive(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("herald");
        await bed.PublishAsync(source, "Glacier survey finds a faster retreat");
        bed.Clock.Advance(new TextQuery([], []).RecentWindow * 2);
        await bed.PublishAsync(source, "Council approves the budget", "Rail strike called off");

        var found = await SearchAsync(bed, "glacier");

        Assert.Equal(["Glacier survey finds a faster retreat"], found);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task SearchAsync_LastWordKnown_SearchesTheWholeWord(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("herald");
        await bed.PublishAsync(source, "Flooding closes the riverside road", "Flood warning for the coast");

        Assert.Equal(["Flood warning for the coast"], await SearchAsync(bed, "flood"));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task SearchAsync_LastWordBeingTyped_MatchesAsPrefix(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("herald");
        await bed.PublishAsync(source, "Flooding closes the riverside road", "Council approves the budget");

        Assert.Equal(["Flooding closes the riverside road"], await SearchAsync(bed, "riverside floo"));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task SearchAsync_SameWordsDaysApart_NewerFirstAndExclusionsLeftOut(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("herald");
        await bed.PublishAsync(source, "Bridge repairs start on Monday");
        bed.Clock.Advance(TimeSpan.FromDays(3));
        await bed.PublishAsync(source, "Bridge repairs start again", "Bridge toll repairs delayed");

        Assert.Equal(["Bridge repairs start again", "Bridge repairs start on Monday"], await SearchAsync(bed, "bridge repairs -toll"));
    }

    [Theory]
    [InlineData(StorageEngines.Sqlite, "气候")]
    [InlineData(StorageEngines.Sqlite, "气候变化")]
    [InlineData(StorageEngines.Sqlite, "パリ")]
    [InlineData(StorageEngines.Postgres, "气候")]
    [InlineData(StorageEngines.Postgres, "气候变化")]
    [InlineData(StorageEngines.Postgres, "パリ")]
    public async Task SearchAsync_WordInsideLongerCjkRun_FindsIt(string engine, string query)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("herald");
        await bed.PublishAsync(source, "全球气候变化会议在巴黎开幕", "東京とパリで会議が開かれた", "Council approves the budget");

        var found = await SearchAsync(bed, query);

        Assert.Single(found);
        Assert.Contains(query, found[0], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task SearchAsync_CjkBigramsOutOfOrder_NotAPhraseMatch(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("herald");
        await bed.PublishAsync(source, "全球气候变化会议在巴黎开幕");

        Assert.Empty(await SearchAsync(bed, "变化气候"));
    }

    private static async Task<IReadOnlyList<string>> SearchAsync(DeliveryTestBed bed, string input) =>
        (await bed.Services.GetRequiredService<ArticleSearch>().SearchAsync(input, 10, TestContext.Current.CancellationToken)).Select(a => a.Title).ToList();
}
