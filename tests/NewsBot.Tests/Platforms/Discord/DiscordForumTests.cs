using System.Globalization;
using System.Text.Json.Nodes;
using NewsBot.Discord;
using NewsBot.Platforms.Discord;
using NewsBot.Fakes.Discord;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;

namespace NewsBot.Tests.Platforms.Discord;

/// <summary>Forum channels (one post per article, tagged by topic) and threads, against the fake Discord.</summary>
public sealed class DiscordForumTests
{
    private const ulong ForumId = 730_000_000_000_000_001;
    private const ulong ThreadId = 740_000_000_000_000_001;
    private const ulong ClimateTag = 750_000_000_000_000_001;
    private const ulong SportTag = 750_000_000_000_000_002;
    private const ulong StaffTag = 750_000_000_000_000_003;

    /// <summary>What a bot needs in a thread: VIEW_CHANNEL, SEND_MESSAGES_IN_THREADS, EMBED_LINKS.</summary>
    private const ulong CanPostInThreads = (1UL << 10) | (1UL << 38) | (1UL << 14);

    [Fact]
    public async Task Subscribe_ForumChannel_EachArticleOpensAPostNamedAfterItAndTaggedByTopic()
    {
        await using var bot = await DiscordPublishingEndToEndTests.StartWithFeedAsync();
        AddForum(bot.Fake, requireTag: false);
        var subscribe = await bot.CommandPickingAsync("subscribe", new JsonObject { ["target"] = "all" }, ForumJson());
        await bot.WaitAsync(() => bot.CallbackFor(subscribe) is not null, "subscribe answer");
        Assert.Equal(@"\#forum-news now receives everything.", bot.CallbackFor(subscribe)!.Body["data"]!["content"]!.GetValue<string>());

        var title = "Floods " + string.Concat(Enumerable.Repeat("and heavy rain across the valley ", 6)).Trim();
        await DiscordPublishingEndToEndTests.PublishItemsAsync(bot, 1, title, category: "Climate");
        await bot.WaitAsync(() => bot.Fake.ForumPosts.Count == 1, "the forum post");

        var post = Assert.Single(bot.Fake.ForumPosts);
        Assert.Equal(ForumId, post.ForumId);
        Assert.True(post.Name.Length <= 100, post.Name);
        Assert.StartsWith("Floods and heavy rain", post.Name, StringComparison.Ordinal);
        Assert.EndsWith("…", post.Name, StringComparison.Ordinal);
        Assert.Equal([ClimateTag], post.AppliedTags);
        var embed = Assert.Single(post.Starter.Body["embeds"]!.AsArray())!;
        Assert.Equal("https://wire.example/news/0", embed["url"]!.GetValue<string>());
        Assert.Empty(post.Starter.Body["allowed_mentions"]!["parse"]!.AsArray());
        // Nothing goes to the channel the command was typed in, nor as a plain message into the forum.
        Assert.Empty(bot.Fake.MessagesIn(DiscordBotHarness.ChannelId));
        Assert.Empty(bot.Fake.MessagesIn(ForumId));
        Assert.Empty(bot.Fake.Violations);
    }

    [Fact]
    public async Task Publish_ForumRequiresTagAndNoTopicMatches_UsesItsFirstTagThatMembersMayApply()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        AddForum(bot.Fake, requireTag: true, firstModerated: true);
        var kinds = bot.Get<DiscordChannelKinds>();
        await kinds.RememberAsync(ForumId, 15, null, TestContext.Current.CancellationToken);

        var result = await bot.Get<DiscordPublisher>().PublishAsync(ForumChannel(), new Post { ShortId = "a1", Title = "Markets", SourceName = "Wire", Topics = ["Economy"] },
            "nb1", TestContext.Current.CancellationToken);

        Assert.Equal(PublishOutcome.Sent, result.Outcome);
        var post = Assert.Single(bot.Fake.ForumPosts);
        Assert.Equal([ClimateTag], post.AppliedTags);
        Assert.Equal(post.ThreadId.ToString(CultureInfo.InvariantCulture), result.MessageId);
    }

    [Fact]
    public async Task FakeForum_PostWithoutRequiredTagOrAsPlainMessage_RefusedAsDiscordDoes()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        AddForum(bot.Fake, requireTag: true);
        var rest = bot.Get<NewsBot.Discord.Rest.DiscordRestClient>();
        var message = new OutgoingMessage { Content = "hello" };

        var untagged = await rest.CreateForumPostAsync(ForumId, new ForumPost("Hello", []), message, TestContext.Current.CancellationToken);
        var unknownTag = await rest.CreateForumPostAsync(ForumId, new ForumPost("Hello", [42]), message, TestContext.Current.CancellationToken);
        var plain = await rest.CreateMessageAsync(ForumId, message, TestContext.Current.CancellationToken);

        Assert.Equal(40067, untagged.Error?.Code);
        Assert.Equal("discord.forum_tag_required", untagged.Error?.Reason);
        Assert.Equal(50035, unknownTag.Error?.Code);
        Assert.Equal(40058, plain.Error?.Code);
        Assert.Empty(bot.Fake.ForumPosts);
    }

    [Fact]
    public async Task Subscribe_InsideThread_PostsIntoThatThread()
    {
        await using var bot = await DiscordPublishingEndToEndTests.StartWithFeedAsync();
        bot.Fake.AddChannel(new FakeChannel { Id = ThreadId, Type = 11, Name = "thread", ParentId = DiscordBotHarness.ChannelId });
        var subscribe = await bot.CommandInThreadAsync("subscribe", new JsonObject { ["target"] = "all" }, ThreadId, DiscordBotHarness.ChannelId, CanPostInThreads);
        await bot.WaitAsync(() => bot.CallbackFor(subscribe) is not null, "subscribe answer");

        await DiscordPublishingEndToEndTests.PublishItemsAsync(bot, 1, "Storm");
        await bot.WaitAsync(() => bot.Fake.MessagesIn(ThreadId).Count == 1, "the post in the thread");

        Assert.Empty(bot.Fake.MessagesIn(DiscordBotHarness.ChannelId));
        Assert.Empty(bot.Fake.ForumPosts);
        Assert.False(string.IsNullOrEmpty(Assert.Single(bot.Fake.MessagesIn(ThreadId)).Nonce));
    }

    [Fact]
    public async Task Subscribe_InThreadWithoutThreadPermission_SaysWhichOneIsMissing()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var subscribe = await bot.CommandInThreadAsync("subscribe", new JsonObject { ["target"] = "all" }, ThreadId, DiscordBotHarness.ChannelId, DiscordBotHarness.CanPost);
        await bot.WaitAsync(() => bot.CallbackFor(subscribe) is not null, "subscribe answer");

        Assert.Contains("Send Messages in Threads", bot.CallbackFor(subscribe)!.Body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_LockedArchivedThread_IsPermanentSoTheSubscriptionPauses()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        bot.Fake.AddChannel(new FakeChannel { Id = ThreadId, Type = 11, ParentId = DiscordBotHarness.ChannelId, Archived = true, Locked = true });
        var publisher = bot.Get<DiscordPublisher>();
        var thread = new Channel { Platform = Platform.Discord, ExternalId = Id(ThreadId) };

        var locked = await publisher.PublishAsync(thread, new Post { ShortId = "a1", Title = "Locked", SourceName = "Wire" }, "nb1", TestContext.Current.CancellationToken);
        bot.Fake.FindChannel(ThreadId)!.Locked = false;
        var reopened = await publisher.PublishAsync(thread, new Post { ShortId = "a2", Title = "Archived only", SourceName = "Wire" }, "nb2", TestContext.Current.CancellationToken);

        Assert.Equal(PublishOutcome.Permanent, locked.Outcome);
        Assert.Contains("discord.thread_archived", locked.Reason, StringComparison.Ordinal);
        // An archived thread that is not locked takes the message and opens again.
        Assert.Equal(PublishOutcome.Sent, reopened.Outcome);
        Assert.False(bot.Fake.FindChannel(ThreadId)!.Archived);
    }

    [Fact]
    public async Task Publish_WebhookMode_ThreadThroughParentWebhookAndForumWithThreadName()
    {
        await using var bot = await DiscordBotHarness.StartAsync(new() { ["NewsBot:Discord:PostingMode"] = "webhook" });
        AddForum(bot.Fake, requireTag: false);
        var kinds = bot.Get<DiscordChannelKinds>();
        await kinds.RememberAsync(ThreadId, 11, DiscordBotHarness.ChannelId, TestContext.Current.CancellationToken);
        await kinds.RememberAsync(ForumId, 15, null, TestContext.Current.CancellationToken);
        var publisher = bot.Get<DiscordPublisher>();

        var inThread = await publisher.PublishAsync(new Channel { Platform = Platform.Discord, ExternalId = Id(ThreadId) },
            new Post { ShortId = "a1", Title = "In the thread", SourceName = "Wire" }, "nb1", TestContext.Current.CancellationToken);
        var inForum = await publisher.PublishAsync(ForumChannel(),
            new Post { ShortId = "a2", Title = "New post", SourceName = "Wire", Topics = ["Sport"] }, "nb2", TestContext.Current.CancellationToken);

        Assert.Equal(PublishOutcome.Sent, inThread.Outcome);
        Assert.Equal(PublishOutcome.Sent, inForum.Outcome);
        var calls = bot.Fake.WebhookCalls;
        Assert.Equal(2, calls.Count);
        Assert.Contains("thread_id=" + Id(ThreadId), calls[0].Path, StringComparison.Ordinal);
        Assert.Null(calls[0].Body["thread_name"]);
        Assert.Equal("New post", calls[1].Body["thread_name"]!.GetValue<string>());
        Assert.Equal([Id(SportTag)], calls[1].Body["applied_tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.DoesNotContain("thread_id", calls[1].Path, StringComparison.Ordinal);
    }

    private static void AddForum(FakeDiscordServer fake, bool requireTag, bool firstModerated = false) => fake.AddChannel(new FakeChannel
    {
        Id = ForumId,
        Type = 15,
        Name = "forum-news",
        Flags = requireTag ? FakeDiscordServer.RequireTagFlag : 0,
        Tags = firstModerated
            ? [new FakeForumTag(StaffTag, "Staff pick", Moderated: true), new FakeForumTag(ClimateTag, "climate"), new FakeForumTag(SportTag, "Sport")]
            : [new FakeForumTag(ClimateTag, "climate"), new FakeForumTag(SportTag, "Sport")],
    });

    private static JsonObject ForumJson() => new() { ["id"] = Id(ForumId), ["type"] = 15, ["name"] = "forum-news" };

    private static Channel ForumChannel() => new() { Platform = Platform.Discord, ExternalId = Id(ForumId) };

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
