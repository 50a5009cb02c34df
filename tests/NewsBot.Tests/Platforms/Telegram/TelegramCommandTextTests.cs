using NewsBot.Platforms.Telegram;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NewsBot.Tests.Platforms.Telegram;

public class TelegramCommandTextTests
{
    [Theory]
    [InlineData("/latest@NewsBot 5", "latest", "5")]
    [InlineData("/latest@newsbot 5", "latest", "5")]
    [InlineData("/latest 5", "latest", "5")]
    [InlineData("/subscribe   https://example.com/feed  ", "subscribe", "https://example.com/feed")]
    [InlineData("/help", "help", "")]
    [InlineData("/Help@NewsBot", "help", "")]
    [InlineData("/sources\nsecond line", "sources", "second line")]
    [InlineData("/set_digest daily 08:00", "set_digest", "daily 08:00")]
    public void TryParse_OurCommand_ReturnsNameAndArguments(string text, string command, string arguments)
    {
        Assert.True(TelegramCommandText.TryParse(text, null, "NewsBot", out var parsedCommand, out var parsedArguments));
        Assert.Equal(command, parsedCommand);
        Assert.Equal(arguments, parsedArguments);
    }

    [Theory]
    [InlineData("/latest@OtherBot 5")]
    [InlineData("hello /latest")]
    [InlineData("/")]
    [InlineData("/@NewsBot")]
    [InlineData("/path/to/file is broken")]
    [InlineData("/überall")]
    [InlineData("/a_command_name_that_is_far_too_long_for_telegram")]
    [InlineData("")]
    public void TryParse_NotOurCommand_ReturnsFalse(string text) =>
        Assert.False(TelegramCommandText.TryParse(text, null, "NewsBot", out _, out _));

    [Fact]
    public void TryParse_BotCommandEntity_DecidesWhereTheCommandEnds()
    {
        // Telegram marks "/latest@NewsBot" even when a non-space character such as a comma follows it.
        MessageEntity[] entities = [new() { Type = MessageEntityType.BotCommand, Offset = 0, Length = 15 }];

        Assert.True(TelegramCommandText.TryParse("/latest@NewsBot,5", entities, "@NewsBot", out var command, out var arguments));
        Assert.Equal("latest", command);
        Assert.Equal(",5", arguments);
    }

    [Fact]
    public void TryParse_EntityNotAtStart_FallsBackToText()
    {
        MessageEntity[] entities = [new() { Type = MessageEntityType.Bold, Offset = 0, Length = 4 }];

        Assert.True(TelegramCommandText.TryParse("/top 3", entities, "NewsBot", out var command, out var arguments));
        Assert.Equal("top", command);
        Assert.Equal("3", arguments);
    }
}
