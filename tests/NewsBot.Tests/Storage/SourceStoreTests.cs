using Microsoft.Extensions.DependencyInjection;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

public sealed class SourceStoreTests(PostgresServer server)
{
    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task GetDisplayNamesAsync_SomeIds_NamesOnlyThose(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var herald = await bed.AddSourceAsync("herald");
        var courier = await bed.AddSourceAsync("courier");
        await bed.AddSourceAsync("gazette");
        var store = bed.Services.GetRequiredService<ISourceStore>();

        var names = await store.GetDisplayNamesAsync([herald.Id, courier.Id], TestContext.Current.CancellationToken);

        Assert.Equal(2, names.Count);
        Assert.Equal("herald", names[herald.Id]);
        Assert.Equal("courier", names[courier.Id]);
        Assert.Empty(await store.GetDisplayNamesAsync([], TestContext.Current.CancellationToken));
    }
}
