using NewsBot.Benchmarks.Gateway;
using NewsBot.Benchmarks.Load;

namespace NewsBot.Tests.Platforms.Discord;

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
    public async Task Flapping_EveryFaultKind_IdentifiesOnlyForEndedSessionsAndAnswersEveryReceivedInteraction()
    {
        await using var bot = await DiscordBotHarness.StartAsync();
        // The scripts/proof-gateway.sh scenario, shortened: every fault kind once in 20 s, commands throughout.
        var settings = new GatewayFlapSettings { Duration = TimeSpan.FromSeconds(20), DropEvery = TimeSpan.FromSeconds(2), Drain = TimeSpan.FromSeconds(30) };

        using var progress = new StringWriter();
        var report = await new GatewayFlapDriver(bot.Fake, settings).RunAsync(null, progress, TestContext.Current.CancellationToken);
        var gateway = bot.Fake.Gateway;
        TestContext.Current.TestOutputHelper?.WriteLine($"{progress}connections: {string.Join(" ", gateway.ConnectionUrls)}; client closes: {string.Join(",", gateway.ClientCloseCodes)}; resumes: {string.Join(",", gateway.Resumes)}");

        TestContext.Current.TestOutputHelper?.WriteLine(LoadHarness.ToJson(report));
        Assert.Empty(report.Problems);
        Assert.Equal(Enum.GetValues<GatewayFault>().Length, report.DropsByKind.Count);
        Assert.Equal(1 + report.NonResumableDrops, report.Identifies);
        Assert.True(report.InteractionsReceived >= 40, $"only {report.InteractionsReceived} interactions received in 20 s");
        Assert.Equal(report.InteractionsReceived, report.InteractionsAnswered);
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
