using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Platforms.Console;
using NewsBot.Feeds;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.EndToEnd;

/// <summary>The real host from a feed to console posts; the first two run on each storage engine.</summary>
public sealed partial class ConsoleEndToEndTests(PostgresServer server)
{
    private const int SampleArticles = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task SampleFeed_FirstRun_PostsEachArticleOnceAndAnswersLatest(string engine)
    {
        using var folder = new TempFolder();
        var settings = await StorageEngines.SettingsAsync(engine, server, TestHosts.SampleFeed());
        var output = new CapturingWriter();
        var input = new LineFeeder();
        using var host = TestHosts.Build(folder, settings, new ConsoleIO(input, output));
        await host.StartAsync(TestContext.Current.CancellationToken);

        await output.WaitForAsync(text => CardTitles(text).Count >= SampleArticles, Patience);
        input.Send("/latest 3");
        var text = await output.WaitForAsync(t => t.Contains("== Latest news =="), Patience);
        await host.StopAsync(TestContext.Current.CancellationToken);

        var titles = CardTitles(text);
        Assert.Equal(SampleArticles, titles.Count);
        Assert.Equal(SampleArticles, titles.Distinct().Count());
        // Posted in the order the news happened: the oldest story first.
        Assert.Equal("Local startup raises $4M to build a battery recycling plant", titles[0]);

        var latest = text[text.IndexOf("== Latest news ==", StringComparison.Ordinal)..];
        var listed = LatestLine().Matches(latest).Select(m => m.Groups["title"].Value).ToList();
        Assert.Equal(
            ["Cyclists cheer Main Street lanes while shop owners fear for parking", "Riverside council approves protected bike lanes on Main Street", "Heavy rain floods Riverside underpasses; council orders drainage review"],
            listed);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task SampleFeed_Restart_PostsNothingAgain(string engine)
    {
        using var folder = new TempFolder();
        var settings = await StorageEngines.SettingsAsync(engine, server, TestHosts.SampleFeed());
        var firstOutput = new CapturingWriter();
        using (var first = TestHosts.Build(folder, settings, new ConsoleIO(new LineFeeder(), firstOutput)))
        {
            await first.StartAsync(TestContext.Current.CancellationToken);
            await firstOutput.WaitForAsync(text => CardTitles(text).Count >= SampleArticles, Patience);
            await first.StopAsync(TestContext.Current.CancellationToken);
        }

        var secondOutput = new CapturingWriter();
        using var second = TestHosts.Build(folder, settings, new ConsoleIO(new LineFeeder(), secondOutput));
        await second.StartAsync(TestContext.Current.CancellationToken);
        await second.Services.GetRequiredService<PollSignal>().FirstRound.WaitAsync(Patience, TestContext.Current.CancellationToken);
        var deliveries = second.Services.GetRequiredService<IDeliveryStore>();
        await second.Services.GetRequiredService<NewsBot.Publishing.DeliveryDispatcher>().DispatchDueAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await deliveries.CountPendingAsync(TestContext.Current.CancellationToken));
        await second.StopAsync(TestContext.Current.CancellationToken);

        Assert.Empty(CardTitles(secondOutput.Text));
        var channel = await second.Services.GetRequiredService<IChannelStore>().GetOrAddAsync(Platform.Console, ConsoleCommandService.ChannelId, null, null, null, TestContext.Current.CancellationToken);
        var rows = await deliveries.ListForChannelAsync(channel.Id, TestContext.Current.CancellationToken);
        Assert.Equal(SampleArticles, rows.Count);
        Assert.All(rows, row => Assert.Equal(DeliveryStatus.Sent, row.Status));
    }

    [Fact]
    public async Task Console_InputClosed_KeepsPosting()
    {
        using var folder = new TempFolder();
        var output = new CapturingWriter();
        var input = new LineFeeder();
        input.EndInput();
        using var host = TestHosts.Build(folder, TestHosts.SampleFeed(), new ConsoleIO(input, output));
        await host.StartAsync(TestContext.Current.CancellationToken);

        var text = await output.WaitForAsync(t => CardTitles(t).Count >= SampleArticles, Patience);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(SampleArticles, CardTitles(text).Count);
    }

    /// <summary>A card is the rule line followed by the title.</summary>
    private static List<string> CardTitles(string text) =>
        CardTitle().Matches(text).Select(m => m.Groups["title"].Value.TrimEnd('\r')).ToList();

    [GeneratedRegex(@"^─{20,}\r?\n(?<title>[^\n]+)", RegexOptions.Multiline)]
    private static partial Regex CardTitle();

    [GeneratedRegex(@"^  \[[0-9a-z]+\] (?<title>[^\r\n]+)", RegexOptions.Multiline)]
    private static partial Regex LatestLine();
}
