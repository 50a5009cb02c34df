using NewsBot.Fakes.Telegram;
using NewsBot.Platforms.Telegram;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NewsBot.Tests.Platforms.Telegram;

/// <summary>Messages come from the fake, so they have the shapes Telegram.Bot deserialises from the real API.</summary>
public class TelegramAdminCheckTests
{
    private const long Group = -1005550001;
    private const long User = 77;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, TelegramAdminDecision.NeedsMemberStatus)]
    [InlineData(ChatMemberStatus.Creator, TelegramAdminDecision.Admin)]
    [InlineData(ChatMemberStatus.Administrator, TelegramAdminDecision.Admin)]
    [InlineData(ChatMemberStatus.Member, TelegramAdminDecision.NotAdmin)]
    [InlineData(ChatMemberStatus.Restricted, TelegramAdminDecision.NotAdmin)]
    public async Task Decide_GroupMemberCommand_DependsOnStatus(ChatMemberStatus? status, TelegramAdminDecision expected)
    {
        var message = await ReceiveAsync(fake => fake.EnqueueGroupCommand(Group, User, "subscribe", "https://example.com/feed"));

        Assert.Equal(expected, TelegramAdminCheck.Decide(message, status));
    }

    [Fact]
    public async Task Decide_StatusFromGetChatMember_AdminIsAdmin()
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        telegram.Fake.SetChatMemberStatus(Group, User, "administrator");
        telegram.Fake.EnqueueGroupCommand(Group, User, "subscribe");
        var message = (await telegram.Bot.GetUpdates(cancellationToken: Ct))[0].Message!;

        var member = await telegram.Bot.GetChatMember(message.Chat.Id, message.From!.Id, Ct);

        Assert.Equal(TelegramAdminDecision.Admin, TelegramAdminCheck.Decide(message, member.Status));
    }

    [Fact]
    public async Task Decide_AnonymousAdmin_IsAdminWithoutLookup()
    {
        var message = await ReceiveAsync(fake => fake.EnqueueAnonymousAdminMessage(Group, "/subscribe@NewsBot x"));

        Assert.Equal(TelegramAdminDecision.Admin, TelegramAdminCheck.Decide(message));
    }

    [Fact]
    public async Task Decide_ChannelPost_IsAdmin()
    {
        var message = await ReceiveAsync(fake => fake.EnqueueChannelPost(-1009990001, "/subscribe x"));

        Assert.Equal(TelegramAdminDecision.Admin, TelegramAdminCheck.Decide(message));
    }

    [Fact]
    public async Task Decide_PrivateChat_UserOwnsIt()
    {
        var message = await ReceiveAsync(fake => fake.EnqueuePrivateMessage(User, "/subscribe x"));

        Assert.Equal(TelegramAdminDecision.Admin, TelegramAdminCheck.Decide(message, ChatMemberStatus.Member));
    }

    [Fact]
    public async Task Decide_OtherChannelPostingIntoGroup_IsNotAdmin()
    {
        var message = await ReceiveAsync(fake => fake.EnqueueAnonymousAdminMessage(Group, "/subscribe x"));
        message.SenderChat = new Chat { Id = -1008880001, Type = ChatType.Channel };

        Assert.Equal(TelegramAdminDecision.NotAdmin, TelegramAdminCheck.Decide(message));
    }

    private static async Task<Message> ReceiveAsync(Action<FakeTelegramServer> enqueue)
    {
        await using var telegram = await FakeTelegramFixture.StartAsync();
        enqueue(telegram.Fake);
        var update = Assert.Single(await telegram.Bot.GetUpdates(cancellationToken: Ct));
        return update.Message ?? update.ChannelPost!;
    }
}
