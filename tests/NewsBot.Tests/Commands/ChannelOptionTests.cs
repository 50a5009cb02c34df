using NewsBot.Commands;
using NewsBot.Model;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands;

public sealed class ChannelOptionTests
{
    private static readonly ChannelRef Group = new(Platform.Telegram, "-1001234567890", Name: "News group");

    [Theory]
    [InlineData("57", "57")]
    [InlineData("https://t.me/c/1234567890/57", "57")]
    [InlineData("https://t.me/c/1234567890/57/901", "57")]
    [InlineData("t.me/newsgroup/57", "57")]
    [InlineData("general", null)]
    public void Resolve_TelegramTopicByNumberOrLink_IsThatTopicOfThisChat(string typed, string? topic)
    {
        var (channel, error) = ChannelOption.Resolve(Group with { ThreadId = "3" }, typed);

        Assert.Null(error);
        Assert.Equal(Group.ExternalId, channel!.ExternalId);
        Assert.Equal(topic, channel.ThreadId);
    }

    [Theory]
    [InlineData("https://t.me/c/999/57", "another chat")]
    [InlineData("sports", "not a forum topic")]
    [InlineData("https://example.org/c/1234567890/57", "not a forum topic")]
    public void Resolve_NotATopicOfThisChat_SaysWhy(string typed, string reason)
    {
        var (channel, error) = ChannelOption.Resolve(Group, typed);

        Assert.Null(channel);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_ChannelOnTheConsole_RefusedWithAReason()
    {
        using var bed = await DeliveryTestBed.CreateAsync();

        var reply = await bed.RunAsync("subscribe all channel:5", channelId: "console", platform: Platform.Console);

        Assert.True(reply.IsError);
        Assert.Contains("Discord channel or a Telegram forum topic", ReplyText.Of(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeAndUnsubscribe_TelegramTopicFromGeneral_ActOnThatTopicOnly()
    {
        using var bed = await DeliveryTestBed.CreateAsync();

        var subscribed = await bed.RunAsync("subscribe all channel:57", channelId: Group.ExternalId, platform: Platform.Telegram);
        var here = await bed.RunAsync("subscriptions", channelId: Group.ExternalId, platform: Platform.Telegram);
        var there = await bed.RunAsync("subscriptions channel:57", channelId: Group.ExternalId, platform: Platform.Telegram);
        var missing = await bed.RunAsync("unsubscribe topic:sports channel:57", channelId: Group.ExternalId, platform: Platform.Telegram);
        var unsubscribed = await bed.RunAsync("unsubscribe all channel:57", channelId: Group.ExternalId, platform: Platform.Telegram);

        Assert.Equal("Topic 57 now receives everything.", ReplyText.Of(subscribed));
        Assert.Contains("This channel receives nothing yet", ReplyText.Of(here), StringComparison.Ordinal);
        Assert.Contains("Topic 57 receives", ReplyText.Of(there), StringComparison.Ordinal);
        Assert.Contains("/subscriptions channel:57.", ReplyText.Of(missing), StringComparison.Ordinal);
        Assert.Equal("Topic 57 no longer receives everything.", ReplyText.Of(unsubscribed));
    }
}
