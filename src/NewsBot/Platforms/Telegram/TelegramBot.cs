using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace NewsBot.Platforms.Telegram;

/// <summary>
/// The bot's identity and its Bot API client. Each call gets a client over a fresh factory HttpClient (so handler
/// rotation works); the client's hidden 429 retry is off (RetryThreshold 0) because the dispatcher owns waiting.
/// A rejected token stops the whole adapter: <see cref="Stopped"/> ends the receivers, publishes are held.
/// Reports Telegram's part of /healthz from what the receiver last saw.
/// </summary>
public sealed partial class TelegramBot(IHttpClientFactory httpClients, IOptions<TelegramOptions> options, ILogger<TelegramBot> logger)
    : IDisposable, IComponentHealth
{
    public const string HttpClientName = "telegram";

    private readonly TelegramBotClientOptions _clientOptions = new(options.Value.Token, baseUrl: options.Value.ApiBaseUrl.TrimEnd('/')) { RetryThreshold = 0 };
    private readonly CancellationTokenSource _stopped = new();
    private readonly SemaphoreSlim _identityLock = new(1, 1);
    private string? _username;
    private ComponentHealth _health = new(HealthState.Starting, "connecting");

    public ITelegramBotClient Client => new TelegramBotClient(_clientOptions, httpClients.CreateClient(HttpClientName));

    /// <summary>Cancelled once Telegram refused the token.</summary>
    public CancellationToken Stopped => _stopped.Token;

    public bool IsStopped => _stopped.IsCancellationRequested;

    public string Name => "telegram";

    public ComponentHealth Check() => IsStopped
        ? new ComponentHealth(HealthState.Stopped, "Telegram refused the bot token (401): check NewsBot:Telegram:Token")
        : Volatile.Read(ref _health);

    /// <summary>The receiver connected, or a getUpdates call succeeded.</summary>
    public void ReportReachable()
    {
        if (Volatile.Read(ref _health).State != HealthState.Ok)
        {
            Volatile.Write(ref _health, new ComponentHealth(HealthState.Ok));
        }
    }

    /// <summary>The receiver could not connect or poll; it retries with backoff.</summary>
    public void ReportFailure(string reason) => Volatile.Write(ref _health, new ComponentHealth(HealthState.Down, reason));

    /// <summary>The bot's @username from getMe, asked once: group commands carry it as /command@username.</summary>
    public async Task<string> GetUsernameAsync(CancellationToken cancellationToken)
    {
        if (_username is { } known)
        {
            return known;
        }

        await _identityLock.WaitAsync(cancellationToken);
        try
        {
            _username ??= (await Client.GetMe(cancellationToken)).Username ?? "";
            return _username;
        }
        finally
        {
            _identityLock.Release();
        }
    }

    /// <summary>Classifies a failed call; an Unauthorized answer stops the adapter (logged once, naming the setting).</summary>
    public TelegramError Classify(RequestException exception)
    {
        var error = TelegramErrorClassifier.Classify(exception);
        if (error.Kind == TelegramErrorKind.Unauthorized && !_stopped.IsCancellationRequested)
        {
            LogUnauthorized(logger);
            _stopped.Cancel();
        }

        return error;
    }

    public void Dispose()
    {
        _stopped.Dispose();
        _identityLock.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Telegram refused the bot token (401 Unauthorized). Check NewsBot:Telegram:Token; the Telegram adapter is stopped until NewsBot restarts with a valid token.")]
    private static partial void LogUnauthorized(ILogger logger);
}
