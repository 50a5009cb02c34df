using NewsBot.Discord.Gateway;

namespace NewsBot.Discord.Tests.Gateway;

public sealed class GatewayPolicyTests
{
    [Fact]
    public void ReconnectDelay_RepeatedFailures_DoublesAndCapsAt60Seconds()
    {
        var delays = Enumerable.Range(1, 10).Select(f => GatewayPolicy.ReconnectDelay(f, 0.5).TotalSeconds).ToList();

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60, 60], delays);
        Assert.Equal(60, GatewayPolicy.ReconnectDelay(30, 0.999).TotalSeconds);
        Assert.InRange(GatewayPolicy.ReconnectDelay(3, 0).TotalSeconds, 2.9, 3.1);
        Assert.InRange(GatewayPolicy.ReconnectDelay(3, 0.999).TotalSeconds, 4.9, 5.1);
    }

    [Fact]
    public void FirstHeartbeat_Jitter_ScalesInterval()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(11_250), GatewayPolicy.FirstHeartbeat(TimeSpan.FromMilliseconds(45_000), 0.25));
    }

    [Fact]
    public void InvalidSessionDelay_AnyJitter_BetweenOneAndFiveSeconds()
    {
        Assert.Equal(1, GatewayPolicy.InvalidSessionDelay(0).TotalSeconds);
        Assert.InRange(GatewayPolicy.InvalidSessionDelay(0.9999).TotalSeconds, 4.99, 5);
    }

    [Theory]
    [InlineData(4000, "Resume")]
    [InlineData(4001, "Resume")]
    [InlineData(4002, "Resume")]
    [InlineData(null, "Resume")]
    [InlineData(1000, "Resume")]
    [InlineData(1001, "Resume")]
    [InlineData(4008, "Resume")]
    [InlineData(4003, "Identify")]
    [InlineData(4005, "Identify")]
    [InlineData(4007, "Identify")]
    [InlineData(4009, "Identify")]
    [InlineData(4004, "Fatal")]
    [InlineData(4010, "Fatal")]
    [InlineData(4011, "Fatal")]
    [InlineData(4012, "Fatal")]
    [InlineData(4013, "Fatal")]
    [InlineData(4014, "Fatal")]
    public void FromCloseCode_DocumentedCodes_MapToNextStep(int? code, string expected)
    {
        var outcome = GatewayPolicy.FromCloseCode(code, null);

        Assert.Equal(expected, outcome.Next.ToString());
        Assert.Equal(expected == "Fatal", outcome.Fatal is not null);
    }

    [Fact]
    public void ShardFor_GuildId_UsesTimestampBits()
    {
        const ulong guild = 197_038_439_483_310_086;

        Assert.Equal((int)((guild >> 22) % 4), DiscordGatewayClient.ShardFor(guild, 4));
        Assert.Equal(0, DiscordGatewayClient.ShardFor(guild, 1));
    }
}
