using System.Net;
using System.Text.Json.Nodes;
using NewsBot.Fakes.Telegram;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NewsBot.Tests.Platforms.Telegram;

/// <summary>The fake as the real Telegram.Bot client sees it: if these pass, the fake speaks the Bot API.</summary>
public class FakeTelegramServerTests
{
    private const long Group = -1001234567890;
    private const long User = 4242;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetMe_Default_ReturnsConfiguredBot()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();

        var me = await telegram.Bot.GetMe(Ct);

        Assert.Equal("NewsBot", me.Username);
        Assert.Equal(123456, me.Id);
        Assert.True(me.IsBot);
    }

    [Fact]
    public async Task AnyMethod_WrongToken_ThrowsUnauthorized()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        var stranger = telegram.CreateBot(token: "999:WRONG");

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => stranger.GetMe(Ct));

        Assert.Equal(401, error.ErrorCode);
        Assert.Equal("Unauthorized", error.Message);
    }

    [Fact]
    public async Task GetUpdates_SecondConcurrentPoller_FirstGetsConflict()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        var first = telegram.Bot.GetUpdates(timeout: 30, cancellationToken: Ct);
        await telegram.Fake.WaitForWaitingPollAsync(Ct);

        // A second process polling the same token: Telegram ends the older request with 409.
        var second = telegram.CreateBot().GetUpdates(timeout: 0, cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => first);
        Assert.Equal(409, error.ErrorCode);
        Assert.Contains("terminated by other getUpdates request", error.Message, StringComparison.Ordinal);
        Assert.Empty(await second);
        Assert.Equal(1, telegram.Fake.ConflictCount);
    }

    [Fact]
    public async Task GetUpdates_WhileWebhookIsSet_Conflict()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        await telegram.Bot.SetWebhook("https://bot.example.com/telegram/webhook", cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => telegram.Bot.GetUpdates(cancellationToken: Ct));

        Assert.Equal(409, error.ErrorCode);
        Assert.Contains("webhook is active", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, telegram.Fake.ConflictCount);
    }

    [Fact]
    public async Task SendMessage_Html_RecordsEveryParameterAndVisibleText()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();

        var sent = await telegram.Bot.SendMessage(
            chatId: Group,
            text: "<b>Breaking</b> &amp; <a href=\"https://example.com/?a=1&amp;b=&quot;2&quot;\">more</a>",
            parseMode: ParseMode.Html,
            replyParameters: new ReplyParameters { MessageId = 3 },
            linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true },
            messageThreadId: 7,
            disableNotification: true,
            cancellationToken: Ct);

        var recorded = Assert.Single(telegram.Fake.SentMessages);
        Assert.Equal(sent.MessageId, recorded.MessageId);
        Assert.Equal(Group, recorded.ChatId);
        Assert.Equal("HTML", recorded.ParseMode, ignoreCase: true);
        Assert.Equal("Breaking & more", recorded.VisibleText);
        Assert.Equal("Breaking & more", sent.Text);
        Assert.Equal(ChatType.Supergroup, sent.Chat.Type);
        Assert.Equal(7, recorded.MessageThreadId);
        Assert.True(recorded.DisableNotification);
        Assert.Equal(true, (bool?)recorded.LinkPreviewOptions?["is_disabled"]);
        Assert.Equal(3, (int?)recorded.ReplyParameters?["message_id"]);
    }

    [Theory]
    [InlineData("<b>unclosed", "Can't find end tag corresponding to start tag \"b\"")]
    [InlineData("<div>block</div>", "Unsupported start tag \"div\" at byte offset 0")]
    [InlineData("<b><i>crossed</b></i>", "Unmatched end tag at byte offset 13, expected \"</i>\", found \"</b>\"")]
    [InlineData("Fish &amp; chips &nbsp;", "Unsupported character entity \"&nbsp;\" at byte offset 17")]
    [InlineData("R&D", "Unsupported character entity \"&D\" at byte offset 1")]
    [InlineData("a < b", "Unsupported start tag \"\" at byte offset 2")]
    [InlineData("<pre><b>x</b></pre>", "Can't use tag \"b\" inside \"pre\" at byte offset 5")]
    [InlineData("<blockquote>a<blockquote>b</blockquote></blockquote>", "Blockquotes can't be nested at byte offset 13")]
    public async Task SendMessage_InvalidHtml_ThrowsCantParseEntities(string html, string reason)
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();

        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => telegram.Bot.SendMessage(chatId: Group, text: html, parseMode: ParseMode.Html, cancellationToken: Ct));

        Assert.Equal(400, error.ErrorCode);
        Assert.Equal($"Bad Request: can't parse entities: {reason}", error.Message);
        Assert.Empty(telegram.Fake.SentMessages);
    }

    [Fact]
    public async Task SendMessage_4096VisibleCharsInLongerHtml_IsAccepted()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        var html = string.Concat(Enumerable.Repeat("<b>&amp;</b>", 4096));

        await telegram.Bot.SendMessage(chatId: User, text: html, parseMode: ParseMode.Html, cancellationToken: Ct);

        Assert.Equal(4096, Assert.Single(telegram.Fake.SentMessages).VisibleText.Length);
    }

    [Theory]
    [InlineData(4097, "Bad Request: message is too long")]
    [InlineData(0, "Bad Request: message text is empty")]
    public async Task SendMessage_VisibleLengthOutOfRange_Throws(int length, string description)
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();

        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => telegram.Bot.SendMessage(chatId: User, text: "<i>" + new string('x', length) + "</i>", parseMode: ParseMode.Html, cancellationToken: Ct));

        Assert.Equal(400, error.ErrorCode);
        Assert.Equal(description, error.Message);
    }

    [Fact]
    public async Task SendMessage_HistoryLimit_KeepsLatestAndCountsAll()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync(historyLimit: 2);
        var waiting = telegram.Fake.WaitForMessagesAsync(3, Ct);

        foreach (var text in (string[])["one", "two", "three"])
        {
            await telegram.Bot.SendMessage(chatId: User, text: text, cancellationToken: Ct);
        }

        await waiting;
        Assert.Equal(["two", "three"], telegram.Fake.SentMessages.Select(m => m.Text));
        Assert.Equal(3, telegram.Fake.SentCount);
        Assert.Equal(2, telegram.Fake.Calls.Count);
    }

    [Fact]
    public async Task SendMessage_OverPerChatBurst_Returns429UntilTheWindowPasses()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync(FakeTelegramRateLimits.Realistic);
        for (var i = 0; i < 3; i++)
        {
            await telegram.Bot.SendMessage(chatId: User, text: $"burst {i}", cancellationToken: Ct);
        }

        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => telegram.Bot.SendMessage(chatId: User, text: "one too many", cancellationToken: Ct));
        telegram.Time.Advance(TimeSpan.FromSeconds(3));
        await telegram.Bot.SendMessage(chatId: User, text: "after the window", cancellationToken: Ct);

        Assert.Equal(429, error.ErrorCode);
        Assert.Equal("Too Many Requests: retry after 3", error.Message);
        Assert.Equal(3, error.Parameters?.RetryAfter);
        Assert.Equal(1, telegram.Fake.TooManyRequestsCount);
        Assert.Equal(4, telegram.Fake.SentMessages.Count);
    }

    [Fact]
    public async Task SendMessage_OverTwentyPerMinuteInAGroup_Returns429()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync(FakeTelegramRateLimits.None with { PerGroupPerMinute = 20 });
        for (var i = 0; i < 20; i++)
        {
            await telegram.Bot.SendMessage(chatId: Group, text: $"post {i}", cancellationToken: Ct);
            telegram.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => telegram.Bot.SendMessage(chatId: Group, text: "post 21", cancellationToken: Ct));
        await telegram.Bot.SendMessage(chatId: User, text: "private chats are not groups", cancellationToken: Ct);

        Assert.Equal(429, error.ErrorCode);
        Assert.Equal(40, error.Parameters?.RetryAfter);
    }

    [Fact]
    public async Task SendMessage_OverThirtyPerSecondOverall_Returns429()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync(FakeTelegramRateLimits.None with { GlobalPerSecond = 30 });
        for (var i = 0; i < 30; i++)
        {
            await telegram.Bot.SendMessage(chatId: User + i, text: "hello", cancellationToken: Ct);
        }

        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => telegram.Bot.SendMessage(chatId: User + 30, text: "hello", cancellationToken: Ct));

        Assert.Equal(429, error.ErrorCode);
        Assert.Equal(1, error.Parameters?.RetryAfter);
    }

    [Fact]
    public async Task SendMessage_ClientRetryThreshold_HidesA429()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        var patientBot = telegram.CreateBot(retryThreshold: 60);
        telegram.Fake.FailNext("sendMessage", TelegramFault.TooManyRequests(0));

        await patientBot.SendMessage(chatId: User, text: "retried inside the client", cancellationToken: Ct);

        Assert.Equal(1, telegram.Fake.TooManyRequestsCount);
        Assert.Single(telegram.Fake.SentMessages);
    }

    public static TheoryData<TelegramFault> ChatFaults =>
    [
        TelegramFault.BotBlocked,
        TelegramFault.BotKickedFromSupergroup,
        TelegramFault.ChatNotFound,
        TelegramFault.NotEnoughRights,
    ];

    [Theory]
    [MemberData(nameof(ChatFaults))]
    public async Task SendMessage_ChatFault_ThrowsWithCodeAndDescription(TelegramFault fault)
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        telegram.Fake.SetChatFault(Group, fault);

        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => telegram.Bot.SendMessage(chatId: Group, text: "hello", cancellationToken: Ct));

        Assert.Equal(fault.ErrorCode, error.ErrorCode);
        Assert.Equal(fault.Description, error.Message);
        Assert.Null(error.Parameters);
    }

    [Fact]
    public async Task SendMessage_MigratedGroup_ThrowsWithNewChatIdAndNewIdWorks()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        const long oldGroup = -4242;
        telegram.Fake.SetChatFault(oldGroup, TelegramFault.Migrated(Group));

        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => telegram.Bot.SendMessage(chatId: oldGroup, text: "hello", cancellationToken: Ct));
        await telegram.Bot.SendMessage(chatId: error.Parameters!.MigrateToChatId!.Value, text: "hello again", cancellationToken: Ct);

        Assert.Equal(400, error.ErrorCode);
        Assert.Equal("Bad Request: group chat was upgraded to a supergroup chat", error.Message);
        Assert.Equal(Group, Assert.Single(telegram.Fake.SentMessages).ChatId);
    }

    [Fact]
    public async Task SendMessage_UnknownChannelUsername_ThrowsChatNotFound()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        telegram.Fake.AddChat(new FakeTelegramChat(-1009, "channel", "News", "newsroom"));

        await telegram.Bot.SendMessage(chatId: "@newsroom", text: "hello", cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => telegram.Bot.SendMessage(chatId: "@elsewhere", text: "hello", cancellationToken: Ct));

        Assert.Equal(-1009, Assert.Single(telegram.Fake.SentMessages).ChatId);
        Assert.Equal("Bad Request: chat not found", error.Message);
    }

    [Fact]
    public async Task GetUpdates_Offset_ConfirmsAndDropsEarlierUpdates()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        telegram.Fake.EnqueuePrivateMessage(User, "one");
        telegram.Fake.EnqueuePrivateMessage(User, "two");
        var third = telegram.Fake.EnqueuePrivateMessage(User, "three");

        var firstTwo = await telegram.Bot.GetUpdates(limit: 2, cancellationToken: Ct);
        var again = await telegram.Bot.GetUpdates(cancellationToken: Ct);
        var afterConfirm = await telegram.Bot.GetUpdates(offset: firstTwo[^1].Id + 1, cancellationToken: Ct);
        var afterAll = await telegram.Bot.GetUpdates(offset: third + 1, cancellationToken: Ct);

        Assert.Equal(["one", "two"], firstTwo.Select(u => u.Message?.Text));
        Assert.Equal(3, again.Length);
        Assert.Equal(third, Assert.Single(afterConfirm).Id);
        Assert.Empty(afterAll);
    }

    [Fact]
    public async Task GetUpdates_NegativeOffset_KeepsOnlyTheLastOnes()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            telegram.Fake.EnqueuePrivateMessage(User, $"m{i}");
        }

        var last = await telegram.Bot.GetUpdates(offset: -2, cancellationToken: Ct);
        var rest = await telegram.Bot.GetUpdates(cancellationToken: Ct);

        Assert.Equal(["m3", "m4"], last.Select(u => u.Message?.Text));
        Assert.Equal(2, rest.Length);
    }

    [Fact]
    public async Task GetUpdates_LongPoll_ReturnsAsSoonAsAnUpdateArrives()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();

        var poll = telegram.Bot.GetUpdates(timeout: 50, cancellationToken: Ct);
        await telegram.Fake.WaitForWaitingPollAsync(Ct);
        telegram.Fake.EnqueueGroupCommand(Group, User, "latest", "5");
        var updates = await poll;

        Assert.Equal("/latest@NewsBot 5", Assert.Single(updates).Message?.Text);
    }

    [Fact]
    public async Task GetUpdates_LongPollWithoutUpdates_ReturnsEmptyWhenTimeoutElapses()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();

        var poll = telegram.Bot.GetUpdates(timeout: 30, cancellationToken: Ct);
        await telegram.Fake.WaitForWaitingPollAsync(Ct);
        telegram.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(poll.IsCompleted);
        telegram.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(await poll);
    }

    [Fact]
    public async Task GetUpdates_LongPoll_RecordsWhenItWasOpen()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        var opened = telegram.Time.GetUtcNow();

        var poll = telegram.Bot.GetUpdates(timeout: 30, cancellationToken: Ct);
        await telegram.Fake.WaitForWaitingPollAsync(Ct);
        telegram.Time.Advance(TimeSpan.FromSeconds(30));
        await poll;

        // The cluster proof reads receiver gaps from these: a long poll covers StartedAt to At.
        var call = Assert.Single(telegram.Fake.Calls, c => c.Method == "getUpdates");
        Assert.Equal(opened, call.StartedAt);
        Assert.Equal(opened.AddSeconds(30), call.At);
    }

    [Fact]
    public async Task GetUpdates_SecondConsumer_EndsTheFirstWithConflict()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        var first = telegram.Bot.GetUpdates(timeout: 50, cancellationToken: Ct);
        await telegram.Fake.WaitForWaitingPollAsync(Ct);

        var second = telegram.CreateBot().GetUpdates(timeout: 0, cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => first);
        Assert.Equal(409, error.ErrorCode);
        Assert.StartsWith("Conflict: terminated by other getUpdates request", error.Message, StringComparison.Ordinal);
        Assert.Empty(await second);
    }

    [Fact]
    public async Task ReceiveAsync_LibraryPollingLoop_DeliversEachUpdateOnceInOrder()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        telegram.Bot.Timeout = TimeSpan.FromSeconds(5);
        var received = new List<int>();
        var allThree = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        int[] enqueued = [telegram.Fake.EnqueuePrivateMessage(User, "a"), telegram.Fake.EnqueuePrivateMessage(User, "b")];

        var polling = telegram.Bot.ReceiveAsync(
            (_, update, _) =>
            {
                received.Add(update.Id);
                if (received.Count == 3)
                {
                    allThree.TrySetResult();
                }

                return Task.CompletedTask;
            },
            (_, exception, _) => Task.FromException(exception),
            cancellationToken: stop.Token);
        await telegram.Fake.WaitForWaitingPollAsync(Ct);
        enqueued = [.. enqueued, telegram.Fake.EnqueueGroupCommand(Group, User, "latest")];
        await allThree.Task.WaitAsync(Ct);
        await stop.CancelAsync();
        await Record.ExceptionAsync(() => polling);

        Assert.Equal(enqueued, received);
    }

    [Fact]
    public async Task GetUpdates_WhileWebhookSet_ThrowsConflictUntilDeleted()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        await telegram.Bot.SetWebhook("https://bot.example.com/hook", cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => telegram.Bot.GetUpdates(cancellationToken: Ct));
        await telegram.Bot.DeleteWebhook(cancellationToken: Ct);
        await telegram.Bot.GetUpdates(cancellationToken: Ct);

        Assert.Equal(409, error.ErrorCode);
        Assert.Contains("webhook is active", error.Message, StringComparison.Ordinal);
        Assert.Null(telegram.Fake.WebhookUrl);
    }

    [Fact]
    public async Task GetUpdates_InjectedConflict_ThrowsOnce()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        telegram.Fake.FailNext("getUpdates", TelegramFault.Conflict);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => telegram.Bot.GetUpdates(cancellationToken: Ct));
        await telegram.Bot.GetUpdates(cancellationToken: Ct);

        Assert.Equal(409, error.ErrorCode);
    }

    [Fact]
    public async Task EnqueueHelpers_EveryShape_DeserialisesAsTelegramBotExpects()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        const long channel = -1001111;
        telegram.Fake.EnqueueGroupCommand(Group, User, "latest", "5");
        telegram.Fake.EnqueueAnonymousAdminMessage(Group, "/subscribe@NewsBot https://example.com/feed");
        telegram.Fake.EnqueueChannelPost(channel, "/latest");
        telegram.Fake.EnqueueBotAdded(Group, User);
        telegram.Fake.EnqueueBotKicked(Group, User);

        var updates = await telegram.Bot.GetUpdates(cancellationToken: Ct);

        var command = updates[0].Message!;
        Assert.Equal(MessageEntityType.BotCommand, Assert.Single(command.Entities!).Type);
        Assert.Equal("/latest@NewsBot".Length, command.Entities![0].Length);
        Assert.Equal(User, command.From!.Id);
        var anonymous = updates[1].Message!;
        Assert.Equal(FakeTelegramServer.GroupAnonymousBotId, anonymous.From!.Id);
        Assert.Equal(anonymous.Chat.Id, anonymous.SenderChat!.Id);
        var post = updates[2].ChannelPost!;
        Assert.Equal(ChatType.Channel, post.Chat.Type);
        Assert.Equal(channel, post.SenderChat!.Id);
        Assert.Null(post.From);
        Assert.Equal(ChatMemberStatus.Member, updates[3].MyChatMember!.NewChatMember.Status);
        Assert.Equal(ChatMemberStatus.Kicked, updates[4].MyChatMember!.NewChatMember.Status);
        Assert.Equal(telegram.Fake.BotId, updates[4].MyChatMember!.NewChatMember.User.Id);
    }

    [Fact]
    public async Task SetMyCommands_PerScopeAndLanguage_KeptApart()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        BotCommand[] everyone = [new() { Command = "latest", Description = "Latest news" }];
        BotCommand[] admins = [new() { Command = "subscribe", Description = "Subscribe this chat" }];
        BotCommand[] german = [new() { Command = "latest", Description = "Neueste Nachrichten" }];

        await telegram.Bot.SetMyCommands(everyone, cancellationToken: Ct);
        await telegram.Bot.SetMyCommands(admins, BotCommandScope.AllChatAdministrators(), cancellationToken: Ct);
        await telegram.Bot.SetMyCommands(german, languageCode: "de", cancellationToken: Ct);
        var readBack = await telegram.Bot.GetMyCommands(BotCommandScope.AllChatAdministrators(), cancellationToken: Ct);
        await telegram.Bot.DeleteMyCommands(languageCode: "de", cancellationToken: Ct);

        Assert.Equal("subscribe", Assert.Single(readBack).Command);
        Assert.Equal("Latest news", Assert.Single(telegram.Fake.GetCommands()).Description);
        Assert.Empty(telegram.Fake.GetCommands(languageCode: "de"));
    }

    [Fact]
    public async Task SetMyCommands_InvalidName_ThrowsBadRequest()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();

        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => telegram.Bot.SetMyCommands([new BotCommand { Command = "Latest-News", Description = "x" }], cancellationToken: Ct));

        Assert.Equal("Bad Request: BOT_COMMAND_INVALID", error.Message);
    }

    [Fact]
    public async Task GetChatMember_ConfiguredStatuses_ReturnTheMatchingTypes()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        telegram.Fake.SetChatMemberStatus(Group, 1, "creator");
        telegram.Fake.SetChatMemberStatus(Group, 2, "administrator");
        telegram.Fake.SetChatMemberStatus(Group, 3, "kicked");

        var owner = await telegram.Bot.GetChatMember(Group, 1, Ct);
        var admin = await telegram.Bot.GetChatMember(Group, 2, Ct);
        var kicked = await telegram.Bot.GetChatMember(Group, 3, Ct);
        var member = await telegram.Bot.GetChatMember(Group, 4, Ct);
        var admins = await telegram.Bot.GetChatAdministrators(Group, cancellationToken: Ct);

        Assert.IsType<ChatMemberOwner>(owner);
        Assert.IsType<ChatMemberAdministrator>(admin);
        Assert.Equal(ChatMemberStatus.Kicked, kicked.Status);
        Assert.Equal(ChatMemberStatus.Member, member.Status);
        Assert.Equal([1L, 2L], admins.Select(a => a.User.Id));
    }

    [Fact]
    public async Task LeaveChat_Recorded()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();

        await telegram.Bot.LeaveChat(Group, Ct);

        Assert.Equal([Group], telegram.Fake.LeftChats);
    }

    [Fact]
    public async Task SendMessage_FormAndQueryParameters_Accepted()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        using var http = telegram.HttpClients.CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["text"] = "<i>form</i>",
            ["parse_mode"] = "HTML",
            ["reply_parameters"] = """{"message_id":9}""",
        });

        using var response = await http.PostAsync(new Uri($"{telegram.Fake.BaseUrl}/bot{telegram.Fake.Token}/SENDMESSAGE?chat_id={User}"), form, Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(true, (bool?)body["ok"]);
        var recorded = Assert.Single(telegram.Fake.SentMessages);
        Assert.Equal("form", recorded.VisibleText);
        Assert.Equal(9, (int?)recorded.ReplyParameters?["message_id"]);
    }

    [Fact]
    public async Task UnknownMethod_Returns404Envelope()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        using var http = telegram.HttpClients.CreateClient();

        using var response = await http.GetAsync(new Uri($"{telegram.Fake.BaseUrl}/bot{telegram.Fake.Token}/sendTelepathy"), Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, (int?)body["error_code"]);
        Assert.Equal("Not Found", (string?)body["description"]);
    }
}
