using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NewsBot.Platforms.Discord;

/// <summary>
/// Whether the Discord adapter still runs. A fatal Gateway close or a rejected token stops Discord only:
/// feeds, storage and the other platforms go on, and Discord posts wait in the queue for a fixed restart.
/// A token that cannot be a bot token stops it from the start, before any request is made with it.
/// </summary>
public sealed partial class DiscordAdapterState : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger<DiscordAdapterState> _logger;
    private string? _stopReason;

    public DiscordAdapterState(IOptions<DiscordOptions> options, ILogger<DiscordAdapterState> logger)
    {
        _logger = logger;
        if (DiscordOptions.TokenProblem(options.Value.Token) is { } problem)
        {
            Stop(problem);
        }
    }

    /// <summary>Cancelled when the adapter stops; the Gateway and pending interaction work end with it.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public bool IsStopped => Volatile.Read(ref _stopReason) is not null;

    /// <summary>Why the adapter stopped, naming the setting to fix; null while it runs.</summary>
    public string? StopReason => Volatile.Read(ref _stopReason);

    /// <summary>Stops the adapter once; the first reason wins and is logged as critical.</summary>
    public void Stop(string reason)
    {
        if (Interlocked.CompareExchange(ref _stopReason, reason, null) is not null)
        {
            return;
        }

        LogStopped(_logger, reason);
        _stopping.Cancel();
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord adapter stopped: {Reason}. NewsBot keeps running; Discord posts wait until a restart with a fixed configuration.")]
    private static partial void LogStopped(ILogger logger, string reason);
}
