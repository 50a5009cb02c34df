using System.Globalization;
using System.Security;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Feeds;
using NewsBot.Fakes.Telegram;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Platforms.Telegram;

/// <summary>One feed item in the harness's local RSS file.</summary>
internal sealed record FeedItem(string Guid, string Title, DateTimeOffset Published);

/// <summary>
/// The real NewsBot host wired to a <see cref="FakeTelegramServer"/> through configuration only (token and API base
/// URL), watching a local RSS file named "Local". Hosts built from one harness share its database, so a test can
/// restart the bot.
/// </summary>
internal sealed class TelegramBotHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly List<IHost> _hosts = [];

    private TelegramBotHarness(FakeTelegramServer fake) => Fake = fake;

    public FakeTelegramServer Fake { get; }

    public TempFolder Folder { get; } = new();

    public string FeedPath => Folder.File("feed.xml");

    public static async Task<TelegramBotHarness> CreateAsync(FeedItem[] items, FakeTelegramRateLimits? rateLimits = null)
    {
        var fake = await FakeTelegramServer.StartAsync(new FakeTelegramServerOptions { RateLimits = rateLimits ?? FakeTelegramRateLimits.None }, TestContext.Current.CancellationToken);
        var harness = new TelegramBotHarness(fake);
        harness.WriteFeed(items);
        return harness;
    }

    /// <summary>Builds (not starts) a host; <paramref name="settings"/> override the defaults.</summary>
    public IHost BuildHost(IReadOnlyDictionary<string, string?>? settings = null, Action<HostApplicationBuilder>? configure = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["NewsBot:Telegram:Token"] = Fake.Token,
            ["NewsBot:Telegram:ApiBaseUrl"] = Fake.BaseUrl,
            ["NewsBot:Telegram:PollTimeout"] = "00:00:05",
            ["NewsBot:Feeds:Sources:0:Url"] = FeedPath,
            ["NewsBot:Feeds:Sources:0:Name"] = "Local",
            ["NewsBot:Publishing:RetryDelay"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = TestHosts.Build(Folder, all, configure: configure);
        _hosts.Add(host);
        return host;
    }

    /// <summary>Starts a host and waits for the first round of feed polls, so the feed's articles are stored.</summary>
    public async Task<IHost> StartHostAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<HostApplicationBuilder>? configure = null)
    {
        var host = BuildHost(settings, configure);
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.Services.GetRequiredService<PollSignal>().FirstRound.WaitAsync(Patience, TestContext.Current.CancellationToken);
        return host;
    }

    public void WriteFeed(IEnumerable<FeedItem> items)
    {
        var xml = new StringBuilder("""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local news</title><link>https://local.example/</link>""");
        foreach (var item in items)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<item><title>{SecurityElement.Escape(item.Title)}</title><link>https://local.example/{item.Guid}</link>")
                .Append(CultureInfo.InvariantCulture, $"<guid isPermaLink=\"false\">{item.Guid}</guid><pubDate>{item.Published.ToUniversalTime():r}</pubDate>")
                .Append("<description>A short story for the Telegram tests.</description></item>");
        }

        File.WriteAllText(FeedPath, xml.Append("</channel></rss>").ToString());
    }

    public async Task<IReadOnlyList<SentTelegramMessage>> MessagesToAsync(long chatId, int count)
    {
        await Fake.WaitForMessagesToAsync(chatId, count, TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);
        return Fake.SentMessages.Where(m => m.ChatId == chatId).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }

        await Fake.DisposeAsync();
        Folder.Dispose();
    }
}
