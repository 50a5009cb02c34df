using NewsBot.Commands;
using NewsBot.Model;
using NewsBot.Tests.Publishing;
using Microsoft.Extensions.DependencyInjection;

namespace NewsBot.Tests.Commands;

/// <summary>Which language a reply is in: the channel's /settings language, else the user's, else the place's.</summary>
public sealed class CommandLanguageTests
{
    [Fact]
    public async Task Route_UserLocale_AnsweredInThatLanguageWithRealCommandNames()
    {
        using var bed = await DeliveryTestBed.CreateAsync();

        var reply = await RunAsync(bed, "help", userLocale: "fr");

        Assert.Equal("fr", reply.Texts!.Language.Code);
        var text = ReplyText.Of(reply);
        Assert.Contains("Commandes de NewsBot", text, StringComparison.Ordinal);
        Assert.Contains("/latest [topic] [source] [count] Les derniers articles", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_ChannelLanguageSet_WinsOverUserAndPlace_AutoClearsIt()
    {
        using var bed = await DeliveryTestBed.CreateAsync();

        var saved = await RunAsync(bed, "settings language:es", userLocale: "de");
        var asked = await RunAsync(bed, "sources", userLocale: "de", placeLocale: "ja");
        var cleared = await RunAsync(bed, "settings language:auto", userLocale: "de");
        var after = await RunAsync(bed, "sources", userLocale: "de", placeLocale: "ja");

        Assert.Contains("Ajustes guardados", ReplyText.Of(saved), StringComparison.Ordinal);
        Assert.Contains("idioma: Español", ReplyText.Of(saved), StringComparison.Ordinal);
        Assert.Equal("es", asked.Texts!.Language.Code);
        Assert.Contains("Einstellungen gespeichert", ReplyText.Of(cleared), StringComparison.Ordinal);
        Assert.Equal("de", after.Texts!.Language.Code);
        var channel = Assert.Single(await bed.Services.GetRequiredService<NewsBot.Storage.IChannelStore>().ListAsync(Platform.Discord, TestContext.Current.CancellationToken));
        Assert.Null(channel.Language);
        Assert.Equal("ja", channel.PlatformLocale);
    }

    [Fact]
    public async Task Route_UnshippedUserLanguage_FallsBackToThePlaceThenEnglish()
    {
        using var bed = await DeliveryTestBed.CreateAsync();

        Assert.Equal("ru", (await RunAsync(bed, "help", userLocale: "ko", placeLocale: "ru")).Texts!.Language.Code);
        Assert.Equal("en", (await RunAsync(bed, "help", userLocale: "ko", channelId: "200")).Texts!.Language.Code);
    }

    [Fact]
    public async Task Route_UnknownLanguage_RefusedWithTheChoices()
    {
        using var bed = await DeliveryTestBed.CreateAsync();

        var reply = await RunAsync(bed, "settings language:klingon");

        Assert.True(reply.IsError);
        Assert.Contains("language must be one of: auto, en, de, fr, es, pt-BR, ru, zh-CN, ja.", ReplyText.Of(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_PreviewSubscribeAndExport_AnsweredInTheUserLanguage()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await bed.AddSourceAsync("wire");
        await bed.PublishAsync(source, "Rain floods the valley");

        var preview = await RunAsync(bed, "subscribe all preview:on", userLocale: "fr");
        var subscribed = await RunAsync(bed, "subscribe all", userLocale: "fr");
        var exported = await RunAsync(bed, "export", userLocale: "fr");

        Assert.StartsWith("Aperçu de tout : l'article correspondant le plus récent", ReplyText.Of(preview), StringComparison.Ordinal);
        Assert.NotNull(Assert.Single(preview.Blocks.OfType<ReplyPostPreview>()).Channel);
        Assert.StartsWith("Ce salon reçoit désormais tout.", ReplyText.Of(subscribed), StringComparison.Ordinal);
        Assert.Contains("Il contient l'abonnement de ce salon avec ses réglages", ReplyText.Of(exported), StringComparison.Ordinal);
    }

    private static Task<CommandReply> RunAsync(DeliveryTestBed bed, string line, string? userLocale = null, string? placeLocale = null, string channelId = "100")
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var request = new CommandRequest(space < 0 ? line : line[..space], new ChannelRef(Platform.Discord, channelId, Locale: placeLocale), "7", IsPlatformAdmin: true)
        {
            ArgumentText = space < 0 ? "" : line[(space + 1)..],
            Locale = userLocale,
        };
        return bed.Services.GetRequiredService<CommandRouter>().RouteAsync(request, TestContext.Current.CancellationToken);
    }
}
