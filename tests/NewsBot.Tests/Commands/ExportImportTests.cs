using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Commands;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Tests.Feeds.Fetching;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Commands;

/// <summary>/export carries a channel's subscriptions with all their settings; /import of the file restores them.</summary>
public sealed class ExportImportTests
{
    [Fact]
    public async Task ExportThenImport_AnotherChannelGetsTheSameSubscriptionsTemplatesAndMentions()
    {
        using var bed = await DeliveryTestBed.CreateAsync(new Dictionary<string, string?> { ["NewsBot:Feeds:AllowPrivateAddresses"] = "true" });
        var exported = "";
        var feed = File.ReadAllText(Path.Combine(RepositoryPaths.Samples, "feed.xml"));
        await using var site = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/feed.xml", () => Results.Content(feed, "application/rss+xml"));
            app.MapGet("/export.opml", () => Results.Content(exported, "text/x-opml"));
        });
        await bed.RunAsync("source add " + site.Url("/feed.xml"));
        var subscribed = await bed.RunAsync("subscribe 1 include:\"rain, /heat ?wave/\" format:compact related:1 mention:4242 template:\"<b>{{ title }}</b> & co\\n{% if link %}{{ link }}{% endif %}\" embed_footer:\"{{ source }}\" colour:#FF8800");
        Assert.False(subscribed.IsError, ReplyText.Of(subscribed));
        await bed.RunAsync("subscribe topic:climate digest:daily silent:on summary:off");

        var export = await bed.RunAsync("export");
        exported = Assert.Single(export.Blocks.OfType<ReplyCode>()).Text;
        Assert.Contains("carries this channel's 2 subscriptions", ReplyText.Of(export), StringComparison.Ordinal);
        var import = await bed.RunAsync("import " + site.Url("/export.opml"), channelId: "200");

        var store = bed.Services.GetRequiredService<ISubscriptionStore>();
        var original = await store.ListForChannelAsync((await bed.ChannelAsync("100")).Id, TestContext.Current.CancellationToken);
        var restored = await store.ListForChannelAsync((await bed.ChannelAsync("200")).Id, TestContext.Current.CancellationToken);
        Assert.Equal(2, restored.Count);
        foreach (var expected in original)
        {
            var actual = Assert.Single(restored, s => s.TargetKey == expected.TargetKey);
            Assert.Equal(expected with { Id = actual.Id, ChannelId = actual.ChannelId, CreatedAt = actual.CreatedAt, Include = actual.Include, Exclude = actual.Exclude, MentionRoleIds = actual.MentionRoleIds }, actual);
            Assert.Equal(expected.Include, actual.Include);
            Assert.Equal(expected.MentionRoleIds, actual.MentionRoleIds);
        }

        var source = Assert.Single(restored, s => s.Target == SubscriptionTarget.Source);
        Assert.Equal("<b>{{ title }}</b> & co\n{% if link %}{{ link }}{% endif %}", source.Template?.Text);
        Assert.Equal(0xFF8800, source.Template?.Colour);
        Assert.Contains("subscribed with its settings", ReplyText.Of(import), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_IntoTelegram_LeavesRolePingsOutAndABrokenTemplateIsRefusedWithItsReason()
    {
        using var bed = await DeliveryTestBed.CreateAsync(new Dictionary<string, string?> { ["NewsBot:Feeds:AllowPrivateAddresses"] = "true" });
        await using var site = await LoopbackServer.StartAsync(app => app.MapGet("/export.opml", () => Results.Content($"""
            <?xml version="1.0"?><opml version="2.0" xmlns:newsbot="urn:newsbot:subscription"><head><title>x</title></head><body>
            <outline text="all" newsbot:target="all" newsbot:mention="4242" newsbot:format="compact"/>
            <outline text="topic:climate" newsbot:target="topic:climate" newsbot:template="{"{% for %}"}"/>
            </body></opml>
            """, "text/x-opml")));

        var import = ReplyText.Of(await bed.RunAsync("import " + site.Url("/export.opml"), channelId: "-100555", platform: Platform.Telegram));

        var restored = Assert.Single(await bed.Services.GetRequiredService<ISubscriptionStore>().ListForChannelAsync(
            (await bed.ChannelAsync("-100555", Platform.Telegram)).Id, TestContext.Current.CancellationToken));
        Assert.Equal(SubscriptionTarget.All, restored.Target);
        Assert.Equal(PostFormat.Compact, restored.Format);
        Assert.Empty(restored.MentionRoleIds);
        Assert.Contains("not subscribed: That template will not work: text: line 1", import, StringComparison.Ordinal);
    }
}
