using NewsBot.Fakes.Telegram;
using NewsBot.Platforms.Telegram;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace NewsBot.Tests.Platforms.Telegram;

/// <summary>Errors produced by the real client against the fake, then classified.</summary>
public class TelegramErrorClassifierTests
{
    private const long Chat = -1004440001;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<TelegramFault, TelegramErrorKind, string> ChatFaults => new()
    {
        { TelegramFault.BotBlocked, TelegramErrorKind.Permanent, "telegram.blocked" },
        { TelegramFault.BotKickedFromSupergroup, TelegramErrorKind.Permanent, "telegram.kicked" },
        { TelegramFault.BotKickedFromGroup, TelegramErrorKind.Permanent, "telegram.kicked" },
        { TelegramFault.NotAMember, TelegramErrorKind.Permanent, "telegram.not_member" },
        { TelegramFault.UserDeactivated, TelegramErrorKind.Permanent, "telegram.user_deactivated" },
        { TelegramFault.ChatNotFound, TelegramErrorKind.Permanent, "telegram.chat_not_found" },
        { TelegramFault.NotEnoughRights, TelegramErrorKind.Permanent, "telegram.not_enough_rights" },
        { new TelegramFault(400, "Bad Request: need administrator rights in the channel chat"), TelegramErrorKind.Permanent, "telegram.need_admin_rights" },
        { new TelegramFault(403, "Forbidden: the group chat was deleted"), TelegramErrorKind.Permanent, "telegram.chat_deleted" },
        { new TelegramFault(403, "Forbidden: something new"), TelegramErrorKind.Permanent, "telegram.forbidden" },
        { TelegramFault.BadGateway, TelegramErrorKind.Transient, "telegram.server_error" },
        { TelegramFault.Conflict, TelegramErrorKind.Transient, "telegram.conflict" },
        { new TelegramFault(400, "Bad Request: message to reply not found"), TelegramErrorKind.Rejected, "telegram.bad_request" },
    };

    [Theory]
    [MemberData(nameof(ChatFaults))]
    public async Task Classify_ChatFault_KindAndReason(TelegramFault fault, TelegramErrorKind kind, string reason)
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        telegram.Fake.SetChatFault(Chat, fault);

        var error = TelegramErrorClassifier.Classify(await SendFailingAsync(telegram.Bot));

        Assert.Equal(new TelegramError(kind, reason), error);
    }

    [Fact]
    public async Task Classify_Migration_CarriesNewChatId()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        telegram.Fake.SetChatFault(Chat, TelegramFault.Migrated(-1009998887));

        var error = TelegramErrorClassifier.Classify(await SendFailingAsync(telegram.Bot));

        Assert.Equal(new TelegramError(TelegramErrorKind.Migrated, "telegram.migrated", MigrateToChatId: -1009998887), error);
    }

    [Fact]
    public async Task Classify_RateLimiter429_CarriesRetryAfter()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync(FakeTelegramRateLimits.None with { PerChatBurst = 1 });
        await telegram.Bot.SendMessage(chatId: Chat, text: "first", cancellationToken: Ct);

        var error = TelegramErrorClassifier.Classify(await SendFailingAsync(telegram.Bot));

        Assert.Equal(new TelegramError(TelegramErrorKind.RateLimited, "telegram.rate_limited", RetryAfter: TimeSpan.FromSeconds(3)), error);
    }

    [Fact]
    public async Task Classify_BadHtml_RejectedNotPermanent()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();

        var exception = await Assert.ThrowsAsync<ApiRequestException>(
            () => telegram.Bot.SendMessage(chatId: Chat, text: "<b>", parseMode: ParseMode.Html, cancellationToken: Ct));

        Assert.Equal(new TelegramError(TelegramErrorKind.Rejected, "telegram.bad_html"), TelegramErrorClassifier.Classify(exception));
    }

    [Fact]
    public async Task Classify_WrongToken_Unauthorized()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();

        var error = TelegramErrorClassifier.Classify(await SendFailingAsync(telegram.CreateBot(token: "1:REVOKED")));

        Assert.Equal(TelegramErrorKind.Unauthorized, error.Kind);
    }

    [Fact]
    public async Task Classify_ServerGone_TransientNetwork()
    {
        var telegram = await FakeTelegramFixture.StartAsync();
        var bot = telegram.CreateBot();
        await telegram.Fake.DisposeAsync();

        var exception = await Assert.ThrowsAsync<RequestException>(() => bot.GetMe(Ct));

        Assert.Equal(new TelegramError(TelegramErrorKind.Transient, "telegram.network"), TelegramErrorClassifier.Classify(exception));
        await telegram.DisposeAsync();
    }

    private static async Task<RequestException> SendFailingAsync(TelegramBotClient bot) =>
        await Assert.ThrowsAnyAsync<RequestException>(() => bot.SendMessage(chatId: Chat, text: "hello", cancellationToken: Ct));
}
