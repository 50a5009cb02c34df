using Microsoft.Extensions.DependencyInjection;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>A channel's language and platform locale, and a subscription's summary language, kept by either engine.</summary>
public sealed class LanguageColumnsTests(PostgresServer server)
{
    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task LanguageColumns_SetAndCleared_ReadBackAsStored(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var token = TestContext.Current.CancellationToken;
        var channels = bed.Services.GetRequiredService<IChannelStore>();
        var subscriptions = bed.Services.GetRequiredService<ISubscriptionStore>();
        var channel = await channels.GetOrAddAsync(Platform.Discord, "100", null, "news", "1", token);

        await channels.SetLanguageAsync(channel.Id, "pt-BR", token);
        await channels.SetPlatformLocaleAsync(channel.Id, "ja", token);
        var (subscription, _) = await subscriptions.UpsertAsync(new Subscription { ChannelId = channel.Id, Target = SubscriptionTarget.All, SummaryLanguage = "de" }, token);
        var set = await channels.GetAsync(channel.Id, token);
        await channels.SetLanguageAsync(channel.Id, null, token);
        var (updated, created) = await subscriptions.UpsertAsync(subscription with { SummaryLanguage = null }, token);

        Assert.Equal(("pt-BR", "ja"), (set!.Language, set.PlatformLocale));
        Assert.Equal("de", subscription.SummaryLanguage);
        Assert.Null((await channels.GetAsync(channel.Id, token))!.Language);
        Assert.False(created);
        Assert.Null(updated.SummaryLanguage);
    }
}
