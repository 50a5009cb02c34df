using Microsoft.Extensions.DependencyInjection;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;

using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Publishing;

/// <summary>The outbox and its dispatcher, on each storage engine.</summary>
public sealed class DeliveryDispatcherTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_NewArticles_PostsEachOnceOldestFirstWithItsKey(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("subscribe news");
        await bed.PublishAsync(source, "First", "Second", "Third");

        await bed.DispatchAsync();
        await bed.DispatchAsync();

        Assert.Equal(["First", "Second", "Third"], bed.Discord.Messages.Select(m => m.Post!.Title));
        var rows = await bed.DeliveriesOfAsync("100");
        Assert.All(rows, row => Assert.Equal(DeliveryStatus.Sent, row.Status));
        Assert.Equal(rows.Select(r => r.Nonce), bed.Discord.Messages.Select(m => m.IdempotencyKey));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Subscribe_SourceWithHistory_PostsOnlyTheNewestFew(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server, new Dictionary<string, string?> { ["NewsBot:Feeds:BackfillCount"] = "2" }));
        var source = await bed.AddSourceAsync("news");
        await bed.PublishAsync(source, "One", "Two", "Three", "Four", "Five");

        var reply = await bed.RunAsync("subscribe news");
        await bed.DispatchAsync();

        Assert.Contains("newest 2", ReplyText.Of(reply), StringComparison.Ordinal);
        Assert.Equal(["Four", "Five"], bed.Discord.Messages.Select(m => m.Post!.Title));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_IncludeAndExcludeFilters_PostOnlyMatchingArticles(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        var reply = await bed.RunAsync("subscribe news include:\"solar, /batt?ery (plant|farm)/\" exclude:rumour");
        Assert.False(reply.IsError, ReplyText.Of(reply));

        await bed.PublishAsync(source, "Solar farm opens", "New battery plant hires 200", "Solar rumour denied", "Football results", "Solarpunk fiction prize");
        await bed.DispatchAsync();

        Assert.Equal(["Solar farm opens", "New battery plant hires 200"], bed.Discord.Messages.Select(m => m.Post!.Title));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_TopicSubscription_PostsArticlesOfThatTopicOnly(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("subscribe topic:Climate");

        await bed.PublishAsync(source, ("Heat record", null, ["climate"]), ("Match report", null, ["sport"]));
        await bed.DispatchAsync();

        Assert.Equal(["Heat record"], bed.Discord.Messages.Select(m => m.Post!.Title));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_OverTheHourlyCap_SendsTheBacklogAsOneDigest(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("subscribe news");
        await bed.RunAsync("settings max_per_hour:3");

        await bed.PublishAsync(source, Enumerable.Range(1, 10).Select(i => $"Bulk {i}").ToArray());
        await bed.DispatchAsync();

        var message = Assert.Single(bed.Discord.Messages);
        Assert.Equal(10, message.Digest!.Items.Count);
        Assert.All(await bed.DeliveriesOfAsync("100"), row => Assert.Equal(DeliveryStatus.Digested, row.Status));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_CapReached_HoldsNewPostsThenSendsThemAsOneDigest(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("subscribe news");
        await bed.RunAsync("settings max_per_hour:3");
        await bed.PublishAsync(source, "A", "B", "C");
        await bed.DispatchAsync();

        await bed.PublishAsync(source, "D", "E", "F", "G");
        await bed.DispatchAsync();
        Assert.Equal(3, bed.Discord.Messages.Count);

        bed.Clock.Advance(TimeSpan.FromMinutes(61));
        await bed.DispatchAsync();

        Assert.Equal(4, bed.Discord.Messages.Count);
        Assert.Equal(["D", "E", "F", "G"], bed.Discord.Messages[3].Digest!.Items.Select(p => p.Title));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_HourlyDigestSubscription_WaitsForTheHourThenSendsOneDigest(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("subscribe news digest:hourly");
        bed.Clock.Advance(TimeSpan.FromMinutes(10));
        await bed.PublishAsync(source, "Morning one", "Morning two");

        await bed.DispatchAsync();
        bed.Clock.Advance(TimeSpan.FromMinutes(49));
        await bed.DispatchAsync();
        Assert.Empty(bed.Discord.Messages);

        bed.Clock.Advance(TimeSpan.FromMinutes(1));
        await bed.DispatchAsync();

        var digest = Assert.Single(bed.Discord.Messages).Digest!;
        Assert.Equal("Hourly digest", digest.Heading);
        Assert.Equal(["Morning one", "Morning two"], digest.Items.Select(p => p.Title));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_ChannelLanguageSet_DigestHeadingInThatLanguage(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("settings language:ja");
        await bed.RunAsync("subscribe news digest:hourly");
        await bed.PublishAsync(source, "Today");

        bed.Clock.Advance(TimeSpan.FromHours(1));
        await bed.DispatchAsync();

        Assert.Equal("1 時間のダイジェスト", Assert.Single(bed.Discord.Messages).Digest!.Heading);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_DailyDigestSubscription_WaitsForMidnightInTheChannelsTimeZone(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("settings timezone:Europe/Berlin");
        await bed.RunAsync("subscribe news digest:daily");
        await bed.PublishAsync(source, "Today");

        // 09:00 UTC is 10:00 in Berlin (CET, UTC+1): the local day ends at 23:00 UTC.
        bed.Clock.Advance(TimeSpan.FromHours(13) + TimeSpan.FromMinutes(59));
        await bed.DispatchAsync();
        Assert.Empty(bed.Discord.Messages);

        bed.Clock.Advance(TimeSpan.FromMinutes(1));
        await bed.DispatchAsync();

        Assert.Equal("Daily digest", Assert.Single(bed.Discord.Messages).Digest!.Heading);
        Assert.Equal(DeliveryStatus.Digested, Assert.Single(await bed.DeliveriesOfAsync("100")).Status);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_QuietHours_HoldsPostsAndSendsOneDigestAfterwards(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("subscribe news");
        await bed.RunAsync("settings quiet:22:00-07:00 timezone:UTC");
        bed.Clock.Advance(TimeSpan.FromHours(14));
        await bed.PublishAsync(source, "Night one", "Night two", "Night three");

        await bed.DispatchAsync();
        bed.Clock.Advance(TimeSpan.FromHours(7) + TimeSpan.FromMinutes(59));
        await bed.DispatchAsync();
        Assert.Empty(bed.Discord.Messages);

        bed.Clock.Advance(TimeSpan.FromMinutes(1));
        await bed.DispatchAsync();

        Assert.Equal(3, Assert.Single(bed.Discord.Messages).Digest!.Items.Count);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_PermanentError_PausesChannelStoresReasonAndTellsAdminsOnce(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("subscribe news", channelId: "100");
        await bed.RunAsync("subscribe news", channelId: "200");
        bed.Discord.Break("100", PublishResult.Permanent("discord.missing_access"));

        await bed.PublishAsync(source, "One", "Two");
        await bed.DispatchAsync();
        await bed.PublishAsync(source, "Three");
        await bed.DispatchAsync();

        Assert.Equal(1, bed.Discord.Attempts - bed.Discord.Messages.Count);
        Assert.All(bed.Discord.Messages, m => Assert.Equal("200", m.ChannelId));
        Assert.Equal(3, bed.Discord.Messages.Count);
        var notice = Assert.Single(bed.Discord.Notices);
        Assert.Equal("100", notice.ChannelId);
        Assert.Contains("discord.missing_access", notice.Text, StringComparison.Ordinal);
        var rows = await bed.DeliveriesOfAsync("100");
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal((DeliveryStatus.Failed, "discord.missing_access"), (row.Status, row.LastError)));
        var subscription = Assert.Single(await bed.Services.GetRequiredService<ISubscriptionStore>().ListForChannelAsync((await bed.ChannelAsync("100")).Id, Token));
        Assert.Equal((true, "discord.missing_access"), (subscription.Paused, subscription.PausedReason));
        Assert.Contains("paused: discord.missing_access", ReplyText.Of(await bed.RunAsync("subscriptions", channelId: "100")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_OnePostRefused_FailsOnlyThatDeliveryAndGoesOn(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("subscribe news");
        bed.Discord.Script("100", PublishResult.Failed("discord.invalid_form_body"));

        await bed.PublishAsync(source, "Refused", "Fine");
        await bed.DispatchAsync();
        await bed.PublishAsync(source, "Later");
        await bed.DispatchAsync();

        Assert.Equal(3, bed.Discord.Attempts);
        Assert.Equal(["Fine", "Later"], bed.Discord.Messages.Select(m => m.Post!.Title));
        Assert.Empty(bed.Discord.Notices);
        var rows = await bed.DeliveriesOfAsync("100");
        Assert.Equal((DeliveryStatus.Failed, 1, "discord.invalid_form_body"), (rows[0].Status, rows[0].Attempts, rows[0].LastError));
        Assert.All(rows.Skip(1), row => Assert.Equal(DeliveryStatus.Sent, row.Status));
        var subscription = Assert.Single(await bed.Services.GetRequiredService<ISubscriptionStore>().ListForChannelAsync((await bed.ChannelAsync("100")).Id, Token));
        Assert.False(subscription.Paused);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_TransientErrors_BackOffThenSucceed(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("subscribe news");
        bed.Discord.Script("100", PublishResult.Retry("discord.server_error"), PublishResult.Retry("discord.server_error"));
        await bed.PublishAsync(source, "Eventually");

        await bed.DispatchAsync();
        var afterFirst = Assert.Single(await bed.DeliveriesOfAsync("100"));
        await bed.DispatchAsync();
        Assert.Equal(1, bed.Discord.Attempts);

        // First retry after 5 s ±20 %, the second after 10 s ±20 %.
        Assert.InRange(afterFirst.NextAttemptAt - bed.Clock.GetUtcNow(), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6));
        Assert.Equal((DeliveryStatus.Pending, 1, "discord.server_error"), (afterFirst.Status, afterFirst.Attempts, afterFirst.LastError));
        bed.Clock.Advance(TimeSpan.FromSeconds(6));
        await bed.DispatchAsync();
        var afterSecond = Assert.Single(await bed.DeliveriesOfAsync("100"));
        Assert.InRange(afterSecond.NextAttemptAt - bed.Clock.GetUtcNow(), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12));
        bed.Clock.Advance(TimeSpan.FromSeconds(12));
        await bed.DispatchAsync();

        Assert.Equal(3, bed.Discord.Attempts);
        Assert.Equal("Eventually", Assert.Single(bed.Discord.Messages).Post!.Title);
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(await bed.DeliveriesOfAsync("100")).Status);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_TransientErrorMidBacklog_LaterPostsWaitBehindItInOrder(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("subscribe news");
        bed.Discord.Script("100", PublishResult.Retry("discord.rate_limited", TimeSpan.FromSeconds(30)));
        await bed.PublishAsync(source, "A", "B", "C");

        await bed.DispatchAsync();
        Assert.Equal(1, bed.Discord.Attempts);
        bed.Clock.Advance(TimeSpan.FromSeconds(29));
        await bed.DispatchAsync();
        Assert.Equal(1, bed.Discord.Attempts);

        bed.Clock.Advance(TimeSpan.FromSeconds(1));
        await bed.DispatchAsync();

        Assert.Equal(["A", "B", "C"], bed.Discord.Messages.Select(m => m.Post!.Title));
        Assert.Equal(4, bed.Discord.Attempts);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_ChannelMoved_StoresNewIdAndSendsThere(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("subscribe news", channelId: "-4001", platform: Platform.Telegram);
        bed.Telegram.Script("-4001", PublishResult.Moved("-1004001"));
        await bed.PublishAsync(source, "Migrated");

        await bed.DispatchAsync();

        var message = Assert.Single(bed.Telegram.Messages);
        Assert.Equal(("-1004001", "Migrated"), (message.ChannelId, message.Post!.Title));
        var channels = await bed.Services.GetRequiredService<IChannelStore>().ListAsync(Platform.Telegram, Token);
        Assert.Equal("-1004001", Assert.Single(channels).ExternalId);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_Unsubscribed_DropsPendingPosts(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("subscribe news");
        await bed.PublishAsync(source, "Too late");
        await bed.RunAsync("unsubscribe news");

        await bed.DispatchAsync();

        Assert.Empty(bed.Discord.Messages);
        Assert.Equal("publish.unsubscribed", Assert.Single(await bed.DeliveriesOfAsync("100")).LastError);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Dispatch_PlatformNotConfigured_KeepsDeliveriesPending(string engine)
    {
        using var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("news");
        await bed.RunAsync("subscribe news", platform: Platform.Console, channelId: "console");
        await bed.PublishAsync(source, "Waiting");

        await bed.DispatchAsync();

        Assert.Equal(DeliveryStatus.Pending, Assert.Single(await bed.DeliveriesOfAsync("console", Platform.Console)).Status);
    }
}
