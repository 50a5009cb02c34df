using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.Benchmarks.Load;
using NewsBot.Platforms.Console;
using NewsBot.Fakes.Feeds;
using NewsBot.Feeds;
using NewsBot.Storage;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Proof;

public sealed class SecurityTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConfiguredSources_PrivateDestinations_StoredErrorSaysBlockedAddress()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await FakeFeedServer.StartAsync(new FakeFeedOptions { FeedCount = 1, PrivateRedirectTarget = "http://169.254.169.254/latest/meta-data/" }, cancellationToken);
        var port = server.Port.ToString(CultureInfo.InvariantCulture);
        string[] blocked =
        [
            $"http://127.0.0.1:{port}/feeds/0.xml",
            "http://10.20.30.40/feed.xml",
            "http://192.168.1.1/feed.xml",
            "http://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]/feed.xml",
            "http://[::1]/feed.xml",
            $"http://localhost:{port}/feeds/0.xml",
            server.FeedUrl(0, LoopbackNames.Host(0)),
            server.Url(HostilePaths.RedirectPrivate, "redirect" + LoopbackNames.PublicSuffix),
        ];
        // The same server reached as a public site: proves the blocked ones fail for their address alone.
        var allowed = server.FeedUrl(0, "news" + LoopbackNames.PublicSuffix);
        var settings = new Dictionary<string, string?> { ["NewsBot:Feeds:AllowPrivateAddresses"] = "false" };
        var urls = blocked.Append(allowed).ToList();
        for (var i = 0; i < urls.Count; i++)
        {
            settings[$"NewsBot:Feeds:Sources:{i}:Url"] = urls[i];
        }

        await using var host = ProofHost.Build(settings);
        await host.Host.StartAsync(cancellationToken);
        await WaitForPolledAsync(host, urls.Count);

        var sources = (await host.Services.GetRequiredService<ISourceStore>().ListAsync(cancellationToken)).ToDictionary(s => s.Url);
        Assert.All(blocked, url => Assert.StartsWith("fetch.blocked_address", sources[new Uri(url).AbsoluteUri].LastError));
        Assert.Null(sources[allowed].LastError);
    }

    [Fact]
    public async Task Search_HostileInput_NeverFailsAndSearchStillWorks()
    {
        using var folder = new TempFolder();
        var output = new CapturingWriter();
        var input = new LineFeeder();
        using var host = TestHosts.Build(folder, TestHosts.SampleFeed(), new ConsoleIO(input, output));
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.Services.GetRequiredService<PollSignal>().FirstRound.WaitAsync(Patience, TestContext.Current.CancellationToken);

        string[] hostile =
        [
            "\"", "\"unterminated phrase", "NEAR(bike lanes", "bike OR", "* ", "title:bike", "^bike", "AND AND NOT",
            "((((", "'; DROP TABLE articles; --", "bike\u0000lanes", "- -", "\"\"\"\"", "{bike}", "bike*", new string('x', 5000),
            "bike lanes \u202e\u200b 自転車", "a b c d e f g h i j k l m n o p q r s t u v w x y z aa bb cc dd ee ff gg hh ii jj",
        ];
        foreach (var query in hostile)
        {
            input.Send("/search " + query);
        }

        input.Send("/search bike lanes");
        var text = await output.WaitForAsync(t => t.Contains("Search: bike lanes", StringComparison.Ordinal), Patience);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain("failed on our side", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_PlatformTokensConfigured_NeitherTokenAppearsInLogs()
    {
        const string DiscordSecret = "FAKEdiscordSECRET.9c1e.Zq";
        const string TelegramSecret = "424242:FAKE-telegram-SECRET-7f3a";
        var logs = new LogCapture();
        var settings = new Dictionary<string, string?>
        {
            ["NewsBot:Discord:Token"] = DiscordSecret,
            ["NewsBot:Discord:ApiBaseUrl"] = "http://127.0.0.1:9/api/v10",
            ["NewsBot:Telegram:Token"] = TelegramSecret,
            ["NewsBot:Telegram:ApiBaseUrl"] = "http://127.0.0.1:9/",
            // A failing source, so the host has warnings to write too.
            ["NewsBot:Feeds:Sources:0:Url"] = "http://127.0.0.1:9/feed.xml",
        };
        await using (var host = ProofHost.Build(settings, configure: b =>
        {
            b.Logging.SetMinimumLevel(LogLevel.Trace);
            b.Logging.AddProvider(logs);
        }))
        {
            await host.Host.StartAsync(TestContext.Current.CancellationToken);
            await WaitForPolledAsync(host, 1);
        }

        Assert.NotEmpty(logs.Entries);
        Assert.Contains(logs.Entries, e => e.Level >= LogLevel.Warning);
        var text = logs.AllText();
        Assert.DoesNotContain(DiscordSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TelegramSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("FAKE-telegram-SECRET", text, StringComparison.Ordinal);
    }

    private static async Task WaitForPolledAsync(ProofHost host, int count)
    {
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(Patience);
        while (await host.CountPolledSourcesAsync(limit.Token) < count)
        {
            await ticks.WaitForNextTickAsync(limit.Token);
        }
    }
}
