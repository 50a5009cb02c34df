using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands.Handlers;

public sealed class SettingsHandlerTests
{
    [Fact]
    public async Task Settings_Options_SavedDescribedAndOnlyToTheAdmin()
    {
        using var bed = await DeliveryTestBed.CreateAsync();

        var reply = await bed.RunAsync("settings max_per_hour:5 quiet:22:00-6:30 timezone:Europe/Berlin");

        Assert.False(reply.IsError, ReplyText.Of(reply));
        Assert.True(reply.Private);
        Assert.Equal(
            "Settings saved: at most 5 posts an hour (the rest become a digest), quiet hours 22:00-06:30 (Europe/Berlin); posts wait and arrive as one digest, language: automatic (each user's own).",
            ReplyText.Of(reply));
        var channel = await bed.ChannelAsync("100");
        Assert.Equal((5, new TimeOnly(22, 0), new TimeOnly(6, 30), "Europe/Berlin"), (channel.MaxPostsPerHour, channel.QuietStart, channel.QuietEnd, channel.TimeZone));
    }

    [Fact]
    public async Task Settings_OneOption_KeepsTheOthers_QuietOffClearsQuietHours()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        await bed.RunAsync("settings max_per_hour:5 quiet:22:00-06:30");

        await bed.RunAsync("settings quiet:off");

        var channel = await bed.ChannelAsync("100");
        Assert.Equal((5, (TimeOnly?)null, (TimeOnly?)null), (channel.MaxPostsPerHour, channel.QuietStart, channel.QuietEnd));
    }

    [Fact]
    public async Task Settings_NoOptions_ShowsThemAndTheExampleWorksWhenTyped()
    {
        using var bed = await DeliveryTestBed.CreateAsync();

        var reply = await bed.RunAsync("settings");

        Assert.StartsWith("This channel's settings: at most", ReplyText.Of(reply), StringComparison.Ordinal);
        const string Example = "/settings max_per_hour:10 quiet:22:00-07:00 timezone:Europe/London language:en";
        var saved = await HandlerBeds.FollowHintAsync(bed, reply, Example);
        Assert.StartsWith("Settings saved: at most 10 posts an hour", ReplyText.Of(saved), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("quiet:22:00-22:00", "quiet must look like 22:00-07:00 (or off), not \"22:00-22:00\".")]
    [InlineData("timezone:Mars/Olympus", "Unknown time zone \"Mars/Olympus\". Use an IANA name such as Europe/Berlin or America/New_York.")]
    public async Task Settings_BadValue_RefusedAndNothingSaved(string option, string expected)
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var before = await bed.ChannelAsync("100");

        var reply = await bed.RunAsync("settings max_per_hour:9 " + option);

        Assert.True(reply.IsError);
        Assert.Equal(expected, ReplyText.Of(reply));
        Assert.Equal(before, await bed.ChannelAsync("100"));
    }

    [Fact]
    public async Task Settings_Member_RefusedAndNothingSaved()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var before = await bed.ChannelAsync("100");

        var reply = await bed.RunAsync("settings max_per_hour:1", admin: false, userId: "9");

        Assert.True(reply.IsError);
        Assert.Equal("/settings is for admins of this chat only.", ReplyText.Of(reply));
        Assert.Equal(before, await bed.ChannelAsync("100"));
    }
}
