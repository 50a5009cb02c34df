using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Fakes.Telegram;
using Telegram.Bot;

namespace NewsBot.Tests.Platforms.Telegram;

/// <summary>A started <see cref="FakeTelegramServer"/> and a real Telegram.Bot client pointed at it.</summary>
internal sealed class FakeTelegramFixture : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private FakeTelegramFixture(FakeTelegramServer fake, ServiceProvider services, FakeTimeProvider time, int retryThreshold)
    {
        Fake = fake;
        Time = time;
        _services = services;
        HttpClients = services.GetRequiredService<IHttpClientFactory>();
        Bot = CreateBot(retryThreshold);
    }

    public FakeTelegramServer Fake { get; }

    public FakeTimeProvider Time { get; }

    public IHttpClientFactory HttpClients { get; }

    public TelegramBotClient Bot { get; }

    /// <summary>
    /// Starts the fake on a fake clock. The client's hidden 429 retry is off (RetryThreshold 0) so tests see every
    /// 429 unless they ask for a threshold.
    /// </summary>
    public static async Task<FakeTelegramFixture> StartAsync(FakeTelegramRateLimits? rateLimits = null, int retryThreshold = 0, int? historyLimit = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));
        var fake = await FakeTelegramServer.StartAsync(
            new FakeTelegramServerOptions { TimeProvider = time, RateLimits = rateLimits ?? FakeTelegramRateLimits.None, HistoryLimit = historyLimit },
            TestContext.Current.CancellationToken);
        var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        return new FakeTelegramFixture(fake, services, time, retryThreshold);
    }

    public TelegramBotClient CreateBot(int retryThreshold = 0, string? token = null) =>
        new(new TelegramBotClientOptions(token ?? Fake.Token, baseUrl: Fake.BaseUrl) { RetryThreshold = retryThreshold }, HttpClients.CreateClient());

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        await _services.DisposeAsync();
    }
}
