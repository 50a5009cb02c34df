using NewsBot.Fakes.Discord;

namespace NewsBot.Tests.Discord;

/// <summary>Connection faults through the real host on the real clock: the client must resume, never re-identify.</summary>
public sealed class DiscordGatewayResilienceTests
{
    [Fact]
    public async Task Drop_WithoutCloseFrame_ResumesWithLastSequenceAndAnswersNextInteraction()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        var first = await bot.CommandAsync("help");
        await bot.WaitAsync(() => bot.CallbackFor(first) is not null, "help answer");
        var gateway = bot.Fake.Gateway;
        var session = gateway.LatestSessionId;
        var sequence = gateway.LatestSequence;

        gateway.Drop();
        // Dispatched while the client is away: it must arrive through the resume replay.
        var afterDrop = await bot.CommandAsync("help");
        await WaitWithStateAsync(bot, () => bot.CallbackFor(afterDrop) is not null && gateway.Resumes.Count >= 1, "answer after the drop");

        var resume = gateway.Resumes[0];
        Assert.Equal(session, resume.SessionId);
        Assert.Equal(sequence, resume.Seq);
        Assert.StartsWith("/resume-gateway/?v=10&encoding=json", gateway.ConnectionUrls[1], StringComparison.Ordinal);
        Assert.Single(gateway.Identifies);
    }

    [Fact]
    public async Task Heartbeat_NotAcknowledged_ClosesNon1000AndResumes()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        await bot.WaitForSessionAsync();
        var gateway = bot.Fake.Gateway;
        var sequence = gateway.LatestSequence;

        gateway.AckHeartbeats = false;
        await WaitWithStateAsync(bot, () => gateway.ClientCloseCodes.Count >= 1, "client close of the zombie connection", TimeSpan.FromSeconds(40));
        gateway.AckHeartbeats = true;
        var help = await bot.CommandAsync("help");
        await WaitWithStateAsync(bot, () => bot.CallbackFor(help) is not null && gateway.Resumes.Count >= 1, "answer after the resume");

        Assert.NotEqual(1000, gateway.ClientCloseCodes[0]);
        Assert.NotNull(gateway.ClientCloseCodes[0]);
        Assert.Equal(sequence, gateway.Resumes[0].Seq);
        Assert.Equal(gateway.LatestSessionId, gateway.Resumes[0].SessionId);
        Assert.Single(gateway.Identifies);
    }

    [Fact]
    public async Task Drop_Flapping_EveryInteractionAnsweredWithOneIdentify()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        await bot.WaitForSessionAsync();
        var gateway = bot.Fake.Gateway;
        var interactions = new List<ulong>();
        var drops = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var id = await bot.CommandAsync("help");
            interactions.Add(id);
            await WaitWithStateAsync(bot, () => bot.CallbackFor(id) is not null, $"answer to interaction {interactions.Count}");
            gateway.Drop();
            drops++;
            // Next round only once the client has resumed, so each drop hits a resumed connection.
            await WaitWithStateAsync(bot, () => gateway.Resumes.Count == drops && gateway.IsConnected, $"resume after drop {drops}");
            // The drop cadence is the scenario itself, not a wait for something to happen.
            await Task.Delay(TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(clock.ElapsedMilliseconds % 2000), TestContext.Current.CancellationToken);
        }

        var last = await bot.CommandAsync("help");
        interactions.Add(last);
        await WaitWithStateAsync(bot, () => bot.CallbackFor(last) is not null, "answer after the last drop");

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"drops {drops}, resumes {gateway.Resumes.Count}, identifies {gateway.Identifies.Count}, interactions {interactions.Count}, answered {interactions.Count(i => bot.CallbackFor(i) is not null)}");
        Assert.True(drops >= 8, $"only {drops} drops in 20 s");
        Assert.All(interactions, i => Assert.NotNull(bot.CallbackFor(i)));
        Assert.Single(gateway.Identifies);
        Assert.Equal(drops, gateway.Resumes.Count);
    }

    /// <summary>On timeout, says what the fake saw so a flaky run can be diagnosed from the test output alone.</summary>
    private static async Task WaitWithStateAsync(DiscordBotHarness bot, Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        try
        {
            await bot.WaitAsync(condition, what, timeout);
        }
        catch (TimeoutException ex)
        {
            var gateway = bot.Fake.Gateway;
            throw new TimeoutException(
                $"{ex.Message}; connections: {string.Join(" ", gateway.ConnectionUrls)}; client closes: {string.Join(",", gateway.ClientCloseCodes)}; " +
                $"identifies {gateway.Identifies.Count}; resumes: {string.Join(",", gateway.Resumes)}; heartbeats {gateway.Heartbeats}; errors: {string.Join("; ", gateway.Errors)}", ex);
        }
    }
}
