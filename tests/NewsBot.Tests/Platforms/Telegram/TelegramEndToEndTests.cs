using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NewsBot.Fakes.Telegram;
using NewsBot.Hosting;
using NewsBot.Model;
using NewsBot.Runtime;
using NewsBot.Storage;
using NewsBot.Platforms.Telegram;

namespace NewsBot.Tests.Platforms.Telegram;

/// <summary>The real host and the real Telegram.Bot client against the fake Bot API: commands in, posts out.</summary>
public sealed class TelegramEndToEndTests
{
    private const long Group = -1001234567890;
    private const long User = 7001;
    private static readonly DateTimeOffset Yesterday = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly FeedItem Story = new("story-1", "Bridge reopens after repairs", Yesterday);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Commands_GroupPrivateAndOtherBots_AnswersOnlyItsOwn()
    {
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        await bot.StartHostAsync();

        bot.Fake.EnqueueGroupCommand(Group, User, "help");
        bot.Fake.EnqueueGroupMessage(Group, User, "/sources");
        bot.Fake.EnqueueGroupCommand(Group, User, "help", botUsername: "OtherBot");
        bot.Fake.EnqueuePrivateMessage(User, "/start");
        var privateReplies = await bot.MessagesToAsync(User, 1);

        // Updates are handled in order, so the other bot's command was already seen (and ignored) by now.
        var groupReplies = bot.Fake.SentMessages.Where(m => m.ChatId == Group).ToList();
        Assert.Equal(2, groupReplies.Count);
        Assert.Contains("NewsBot commands", groupReplies[0].VisibleText, StringComparison.Ordinal);
        Assert.Contains("Local", groupReplies[1].VisibleText, StringComparison.Ordinal);
        Assert.All(groupReplies, m => Assert.Equal("Html", m.ParseMode, ignoreCase: true));
        var help = Assert.Single(privateReplies);
        Assert.Contains("NewsBot commands", help.VisibleText, StringComparison.Ordinal);
        // A private chat is its owner's: the admin commands are listed too.
        Assert.Contains("/subscribe", help.VisibleText, StringComparison.Ordinal);
        Assert.DoesNotContain("/subscribe", groupReplies[0].VisibleText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminCommand_PlainMemberRefused_AdminsAllowed()
    {
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        await bot.StartHostAsync();
        const long admin = 7002;
        bot.Fake.SetChatMemberStatus(Group, admin, "administrator");

        bot.Fake.EnqueueGroupCommand(Group, User, "subscribe", "Local");
        var refusal = (await bot.MessagesToAsync(Group, 1))[0];
        bot.Fake.EnqueueGroupCommand(Group, admin, "subscribe", "Local");
        bot.Fake.EnqueueAnonymousAdminMessage(Group, "/settings@NewsBot");

        // Admin reply, anonymous admin reply and the backfilled story.
        var messages = await bot.MessagesToAsync(Group, 4);
        Assert.Contains("for admins", refusal.VisibleText, StringComparison.Ordinal);
        // No message only one user sees exists in groups: the refusal answers the command itself.
        Assert.NotNull(refusal.ReplyParameters);
        Assert.Contains(messages, m => m.VisibleText.Contains("now receives", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.VisibleText.Contains(Story.Title, StringComparison.Ordinal));
        Assert.Equal(3, messages.Count(m => !m.VisibleText.Contains(Story.Title, StringComparison.Ordinal)));
        Assert.DoesNotContain(messages.Skip(1), m => m.VisibleText.Contains("for admins", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_AllLevels_NeverContainTheToken()
    {
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        var host = await bot.StartHostAsync(configure: b => b.Logging.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));
        bot.Fake.EnqueuePrivateMessage(User, "/help");
        await bot.MessagesToAsync(User, 1);

        var logs = host.Services.GetRequiredService<FakeLogCollector>().GetSnapshot();
        Assert.Contains(logs, r => r.Message.Contains("connected", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, r => r.Message.Contains(bot.Fake.Token, StringComparison.Ordinal) || (r.Exception?.ToString().Contains(bot.Fake.Token, StringComparison.Ordinal) ?? false));
    }

    [Fact]
    public async Task Polling_Conflict_LoggedClearlyAndRetriedAfterAPollTimeout()
    {
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        bot.Fake.FailNext("getUpdates", TelegramFault.Conflict);
        var host = await bot.StartHostAsync(
            new Dictionary<string, string?> { ["NewsBot:Telegram:PollTimeout"] = "00:00:01" },
            b => b.Logging.AddFakeLogging());
        bot.Fake.EnqueuePrivateMessage(User, "/help");
        await bot.MessagesToAsync(User, 1);

        var polls = bot.Fake.Calls.Where(c => c.Method.Equals("getUpdates", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(409, polls[0].StatusCode);
        Assert.True(polls[1].At - polls[0].At >= TimeSpan.FromSeconds(1), "the poller retried without waiting");
        var conflict = Assert.Single(host.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Message.Contains("409 Conflict", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, conflict.Level);
        Assert.Contains("only one NewsBot may run per token", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminCheck_RepeatedAdminCommands_AskTelegramOnce()
    {
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        await bot.StartHostAsync();
        bot.Fake.SetChatMemberStatus(Group, User, "administrator");

        bot.Fake.EnqueueGroupCommand(Group, User, "settings");
        bot.Fake.EnqueueGroupCommand(Group, User, "settings");
        var replies = await bot.MessagesToAsync(Group, 2);

        Assert.All(replies, m => Assert.DoesNotContain("for admins", m.VisibleText, StringComparison.Ordinal));
        Assert.Single(bot.Fake.Calls, c => c.Method.Equals("getChatMember", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Subscribe_InGroup_FeedItemBecomesExactlyOnePost()
    {
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        var host = await bot.StartHostAsync();
        bot.Fake.SetChatMemberStatus(Group, User, "creator");

        bot.Fake.EnqueueGroupCommand(Group, User, "subscribe", "Local");
        await bot.MessagesToAsync(Group, 2);
        var deliveries = host.Services.GetRequiredService<IDeliveryStore>();
        await Eventually(async () => await deliveries.CountPendingAsync(Ct) == 0);

        var posts = bot.Fake.SentMessages.Where(m => m.ChatId == Group && m.VisibleText.Contains(Story.Title, StringComparison.Ordinal)).ToList();
        var post = Assert.Single(posts);
        Assert.Contains("<a href=\"https://local.example/story-1\">", post.Text, StringComparison.Ordinal);
        Assert.Equal("https://local.example/story-1", post.LinkPreviewOptions?["url"]?.GetValue<string>());
        Assert.Equal(2, bot.Fake.SentMessages.Count(m => m.ChatId == Group));
    }

    [Fact]
    public async Task Subscribe_InForumTopic_RepliesAndPostsToThatTopic()
    {
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        await bot.StartHostAsync();
        bot.Fake.SetChatMemberStatus(Group, User, "administrator");

        bot.Fake.EnqueueGroupCommand(Group, User, "subscribe", "Local", topicId: 42);
        var messages = await bot.MessagesToAsync(Group, 2);

        Assert.All(messages, m => Assert.Equal(42, m.MessageThreadId));
    }

    [Fact]
    public async Task Subscribe_TopicChosenFromGeneral_RepliesInGeneralAndPostsToThatTopic()
    {
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        await bot.StartHostAsync();
        bot.Fake.SetChatMemberStatus(Group, User, "administrator");

        bot.Fake.EnqueueGroupCommand(Group, User, "subscribe", "Local channel:https://t.me/c/1234567890/57");
        var messages = await bot.MessagesToAsync(Group, 2);

        var reply = Assert.Single(messages, m => m.VisibleText.Contains("Topic 57 now receives", StringComparison.Ordinal));
        Assert.Null(reply.MessageThreadId);
        var post = Assert.Single(messages, m => m.VisibleText.Contains(Story.Title, StringComparison.Ordinal));
        Assert.Equal(57, post.MessageThreadId);
    }

    [Fact]
    public async Task SubscribePreview_TemplateAsValidHtml_NothingSubscribedOrPosted()
    {
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        var host = await bot.StartHostAsync();
        bot.Fake.SetChatMemberStatus(Group, User, "administrator");

        bot.Fake.EnqueueGroupCommand(Group, User, "subscribe", "Local preview:on template:\"<b>{{ title }}</b> ({{ source }})\"");
        var messages = await bot.MessagesToAsync(Group, 2);

        Assert.Contains("Nothing was posted or subscribed", messages[0].VisibleText, StringComparison.Ordinal);
        Assert.Equal($"<b>{Story.Title}</b> (Local)", messages[1].Text);
        Assert.NotNull(messages[0].ReplyParameters);
        var channel = await host.Services.GetRequiredService<IChannelStore>().GetOrAddAsync(Platform.Telegram, Group.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null, null, Ct);
        Assert.Empty(await host.Services.GetRequiredService<ISubscriptionStore>().ListForChannelAsync(channel.Id, Ct));
    }

    [Fact]
    public async Task Subscribe_InChannel_ChannelPostersAreAdmins()
    {
        const long channel = -1009876543210;
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        await bot.StartHostAsync();

        bot.Fake.EnqueueChannelPost(channel, "/subscribe@NewsBot Local");
        var messages = await bot.MessagesToAsync(channel, 2);

        Assert.Contains(messages, m => m.VisibleText.Contains("now receives", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.VisibleText.Contains(Story.Title, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publish_GroupUpgradedToSupergroup_ChannelMovesAndPostLandsInNewChat()
    {
        const long oldGroup = -5001;
        const long supergroup = -1005001;
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        var host = await bot.StartHostAsync();
        bot.Fake.SetChatFault(oldGroup, TelegramFault.Migrated(supergroup));

        var channel = await SubscribeDirectlyAsync(host.Services, oldGroup.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var posts = await bot.MessagesToAsync(supergroup, 1);

        Assert.Contains(Story.Title, Assert.Single(posts).VisibleText, StringComparison.Ordinal);
        var moved = await host.Services.GetRequiredService<IChannelStore>().GetAsync(channel.Id, Ct);
        Assert.Equal(supergroup.ToString(System.Globalization.CultureInfo.InvariantCulture), moved!.ExternalId);
        Assert.DoesNotContain(bot.Fake.SentMessages, m => m.ChatId == oldGroup);
    }

    [Fact]
    public async Task Publish_BotBlocked_PausesTheChat()
    {
        const long blockedUser = 7003;
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        var host = await bot.StartHostAsync();
        bot.Fake.SetChatFault(blockedUser, TelegramFault.BotBlocked);

        var channel = await SubscribeDirectlyAsync(host.Services, blockedUser.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var subscriptions = host.Services.GetRequiredService<ISubscriptionStore>();
        await Eventually(async () => (await subscriptions.ListForChannelAsync(channel.Id, Ct)).All(s => s.Paused));

        var subscription = Assert.Single(await subscriptions.ListForChannelAsync(channel.Id, Ct));
        Assert.Equal("telegram.blocked", subscription.PausedReason);
        Assert.Empty(bot.Fake.SentMessages);
    }

    [Fact]
    public async Task Publish_BadHtmlRefused_FailsThatDeliveryOnceAndLaterPostsArrive()
    {
        const long chat = -1001234500001;
        var later = new FeedItem("story-2", "Ferry timetable changes", Yesterday.AddHours(1));
        await using var bot = await TelegramBotHarness.CreateAsync([Story, later]);
        var host = await bot.StartHostAsync(new Dictionary<string, string?> { ["NewsBot:Feeds:BackfillCount"] = "2" });
        bot.Fake.FailNext("sendMessage", new TelegramFault(400, "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 3"));

        var channel = await SubscribeDirectlyAsync(host.Services, chat.ToString(System.Globalization.CultureInfo.InvariantCulture), backfill: 2);
        var posts = await bot.MessagesToAsync(chat, 1);
        var deliveries = host.Services.GetRequiredService<IDeliveryStore>();
        await Eventually(async () => await deliveries.CountPendingAsync(Ct) == 0);

        Assert.Contains(later.Title, Assert.Single(posts).VisibleText, StringComparison.Ordinal);
        var rows = await deliveries.ListForChannelAsync(channel.Id, Ct);
        Assert.Equal([(DeliveryStatus.Failed, 1, "telegram.bad_html"), (DeliveryStatus.Sent, 1, null)], rows.Select(r => (r.Status, r.Attempts, r.LastError)));
        // Refused once, never retried; the chat keeps its subscription.
        Assert.Equal(2, bot.Fake.Calls.Count(c => c.Method.Equals("sendMessage", StringComparison.OrdinalIgnoreCase)));
        Assert.False(Assert.Single(await host.Services.GetRequiredService<ISubscriptionStore>().ListForChannelAsync(channel.Id, Ct)).Paused);
    }

    [Fact]
    public async Task MyChatMember_BotKickedThenAdded_PausesThenResumesAndWelcomes()
    {
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        var host = await bot.StartHostAsync();
        var channel = await SubscribeDirectlyAsync(host.Services, Group.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await bot.MessagesToAsync(Group, 1);
        var subscriptions = host.Services.GetRequiredService<ISubscriptionStore>();

        bot.Fake.EnqueueBotKicked(Group, User);
        bot.Fake.EnqueuePrivateMessage(User, "/help");
        await bot.MessagesToAsync(User, 1);
        var paused = Assert.Single(await subscriptions.ListForChannelAsync(channel.Id, Ct));

        bot.Fake.EnqueueBotAdded(Group, User);
        var welcome = (await bot.MessagesToAsync(Group, 2))[1];
        var resumed = Assert.Single(await subscriptions.ListForChannelAsync(channel.Id, Ct));

        Assert.True(paused.Paused);
        Assert.Equal("telegram.removed", paused.PausedReason);
        Assert.False(resumed.Paused);
        Assert.Contains("/help@NewsBot", welcome.VisibleText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_TitleFullOfMarkupAndEmoji_ArrivesEscapedAndIntact()
    {
        // The feed carries the title HTML-escaped, as feeds do; the parser reads titles leniently (entities decoded,
        // markup stripped as a reader would), and the text that remains must arrive literally: escaped, never as markup.
        const string title = "Fish &amp; chips &lt;b&gt;not bold&lt;/b&gt; &amp;amp; 5 &lt; 6 🐟🇬🇧 &lt;script&gt;";
        const string decoded = "Fish & chips not bold & 5 < 6 🐟🇬🇧";
        await using var bot = await TelegramBotHarness.CreateAsync([new FeedItem("odd", title, Yesterday)]);
        var host = await bot.StartHostAsync();

        await SubscribeDirectlyAsync(host.Services, Group.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var post = Assert.Single(await bot.MessagesToAsync(Group, 1));

        Assert.StartsWith(decoded, post.VisibleText, StringComparison.Ordinal);
        Assert.True(TelegramHtmlValidator.Parse(post.Text).IsValid);
        Assert.DoesNotContain("<script>", post.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Polling_RestartMidPoll_NeitherLosesNorRepeatsAnUpdate()
    {
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        var first = await bot.StartHostAsync();
        bot.Fake.EnqueuePrivateMessage(1, "/help");
        await bot.MessagesToAsync(1, 1);
        await bot.Fake.WaitForWaitingPollAsync(Ct).WaitAsync(TelegramBotHarness.Patience, Ct);
        await first.StopAsync(Ct);

        // Arrives while no NewsBot runs; Telegram keeps it until the next start asks.
        bot.Fake.EnqueuePrivateMessage(2, "/help");
        await bot.StartHostAsync();
        await bot.MessagesToAsync(2, 1);
        bot.Fake.EnqueuePrivateMessage(3, "/help");
        await bot.MessagesToAsync(3, 1);

        Assert.Single(bot.Fake.SentMessages, m => m.ChatId == 1);
        Assert.Single(bot.Fake.SentMessages, m => m.ChatId == 2);
        Assert.Single(bot.Fake.SentMessages, m => m.ChatId == 3);
    }

    [Fact]
    public async Task Start_CommandMenu_RegisteredOncePerDefinition()
    {
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        var first = await bot.StartHostAsync();
        // An answer means the bot finished connecting (menu registered and remembered) and is polling.
        bot.Fake.EnqueuePrivateMessage(User, "/help");
        await bot.MessagesToAsync(User, 1);
        await first.StopAsync(Ct);
        await bot.StartHostAsync();
        bot.Fake.EnqueuePrivateMessage(User, "/help");
        await bot.MessagesToAsync(User, 2);

        var members = bot.Fake.GetCommands("default").Select(c => c.Command).ToList();
        var admins = bot.Fake.GetCommands("all_chat_administrators").Select(c => c.Command).ToList();
        Assert.Contains("latest", members);
        Assert.DoesNotContain("subscribe", members);
        Assert.Contains("subscribe", admins);
        Assert.Subset(admins.ToHashSet(), members.ToHashSet());
        Assert.Equal(2, bot.Fake.Calls.Count(c => c.Method.Equals("setMyCommands", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Webhook_GoodSecretHandled_BadSecretRefused()
    {
        await using var bot = await TelegramBotHarness.CreateAsync([Story]);
        var host = await bot.StartHostAsync(new Dictionary<string, string?>
        {
            ["NewsBot:Telegram:Mode"] = "webhook",
            ["NewsBot:Telegram:WebhookUrl"] = "https://bot.example/telegram/hook",
            ["NewsBot:Telegram:SecretToken"] = "s3cret_token-1",
            ["NewsBot:Http:Urls"] = "http://127.0.0.1:0",
        });
        await bot.Fake.WaitForCallsAsync("setWebhook", 1, Ct).WaitAsync(TelegramBotHarness.Patience, Ct);
        var endpoint = host.Services.GetRequiredService<HttpEndpointService>().Addresses[0] + "/telegram/hook";
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient();

        var refused = await PostUpdateAsync(http, endpoint, "wrong", chatId: 11);
        var accepted = await PostUpdateAsync(http, endpoint, "s3cret_token-1", chatId: 12);
        var missing = await PostUpdateAsync(http, endpoint, null, chatId: 13);

        Assert.Equal(HttpStatusCode.Unauthorized, refused);
        Assert.Equal(HttpStatusCode.Unauthorized, missing);
        Assert.Equal(HttpStatusCode.OK, accepted);
        Assert.Equal("https://bot.example/telegram/hook", bot.Fake.WebhookUrl);
        var setWebhook = bot.Fake.Calls.First(c => c.Method.Equals("setWebhook", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("s3cret_token-1", setWebhook.Parameters["secret_token"]?.GetValue<string>());
        Assert.Single(bot.Fake.SentMessages, m => m.ChatId == 12);
        Assert.DoesNotContain(bot.Fake.SentMessages, m => m.ChatId is 11 or 13);
    }

    private static async Task<HttpStatusCode> PostUpdateAsync(HttpClient http, string url, string? secret, long chatId)
    {
        var json = $$$"""
            {"update_id":{{{chatId}}},"message":{"message_id":5,"date":1790000000,"chat":{"id":{{{chatId}}},"type":"private","first_name":"A"},
            "from":{"id":{{{chatId}}},"is_bot":false,"first_name":"A"},"text":"/help","entities":[{"type":"bot_command","offset":0,"length":5}]}}
            """;
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            request.Headers.Add(TelegramWebhookEndpoints.SecretHeader, secret);
        }

        using var response = await http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    /// <summary>Subscribes a chat to "Local" through the stores, as /subscribe would, and (unless told not to) wakes the dispatcher.</summary>
    internal static async Task<Channel> SubscribeDirectlyAsync(IServiceProvider services, string chatId, int backfill = 1, bool wake = true)
    {
        var channel = await services.GetRequiredService<IChannelStore>().GetOrAddAsync(Platform.Telegram, chatId, null, null, null, Ct);
        var source = (await services.GetRequiredService<ISourceStore>().ListAsync(Ct)).Single();
        var (subscription, _) = await services.GetRequiredService<ISubscriptionStore>().UpsertAsync(
            new Subscription { ChannelId = channel.Id, Target = SubscriptionTarget.Source, SourceId = source.Id }, Ct);
        await services.GetRequiredService<IDeliveryPlanner>().BackfillAsync(subscription, backfill, Ct);
        if (wake)
        {
            services.GetRequiredService<DeliverySignal>().Notify();
        }

        return channel;
    }

    /// <summary>For outcomes no event announces (a row changed by the dispatcher): checks often, gives up after the patience.</summary>
    private static async Task Eventually(Func<Task<bool>> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TelegramBotHarness.Patience);
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }
}
