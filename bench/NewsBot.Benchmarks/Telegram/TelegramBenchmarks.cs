using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Fakes.Telegram;
using NewsBot.Model;
using NewsBot.Platforms.Telegram;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace NewsBot.Benchmarks.Telegram;

/// <summary>
/// Rendering a long post, checking it the way Telegram parses HTML, and one sendMessage round trip through the real
/// client against the fake (the fake's ceiling for load tests).
/// </summary>
[MemoryDiagnoser]
public class TelegramBenchmarks
{
    private FakeTelegramServer? _fake;
    private ServiceProvider? _services;
    private TelegramBotClient? _bot;
    private Post _longPost = null!;
    private string _html = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var paragraph = string.Join(' ', Enumerable.Repeat("Tom & Jerry <b> went to the market 🎉 and back again.", 6));
        _longPost = new Post
        {
            ShortId = "a1b2c3",
            Title = "A <long> post & more",
            Url = "https://example.com/story?id=1&ref=\"rss\"",
            SourceName = "Example",
            Summary = string.Join("\n\n", Enumerable.Repeat(paragraph, 28)),
            Topics = ["Benchmarks", "Telegram HTML"],
        };
        _html = TelegramRenderer.RenderPost(_longPost)[0];
        _fake = await FakeTelegramServer.StartAsync(new FakeTelegramServerOptions { RateLimits = FakeTelegramRateLimits.None, HistoryLimit = 100 });
        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        _bot = new TelegramBotClient(
            new TelegramBotClientOptions(_fake.Token, baseUrl: _fake.BaseUrl),
            _services.GetRequiredService<IHttpClientFactory>().CreateClient());
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    [Benchmark]
    public IReadOnlyList<string> RenderLongPost() => TelegramRenderer.RenderPost(_longPost);

    [Benchmark]
    public TelegramHtmlParseResult ValidateChunk() => TelegramHtmlValidator.Parse(_html);

    [Benchmark]
    public Task SendMessageThroughFake() => _bot!.SendMessage(chatId: 42, text: _html, parseMode: ParseMode.Html);
}
