using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Model;
using NewsBot.Storage;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NewsBot.Platforms.Telegram;

/// <summary>
/// Connects to Telegram at start (getMe) and, in the process that leads <see cref="LeadershipRole"/>, registers the
/// command menu and receives updates: by long polling, or by registering the webhook that
/// <see cref="TelegramWebhookEndpoints"/> serves.
/// <para>
/// Polling semantics: the offset (last update_id + 1) is stored in platform_state after each batch is handled, and
/// Telegram forgets updates only when asked with that offset. A clean stop finishes the update in hand, stores the
/// offset of what was handled and leaves the rest with Telegram, so a restart neither loses nor repeats an update.
/// A crash between handling and storing repeats at most that batch (at-least-once); handlers are safe to repeat
/// (subscribe is an upsert), the worst case is a second reply.
/// </para>
/// <para>
/// Only the process that leads <see cref="LeadershipRole"/> polls (<see cref="ILeadership"/>; a process on its own
/// always does). One that loses the role stops at once, keeping the offset of what it handled, and waits to lead
/// again; the next leader starts from the stored offset.
/// </para>
/// </summary>
public sealed partial class TelegramReceiverService(
    TelegramBot bot,
    TelegramCommandMenu menu,
    TelegramUpdateHandler handler,
    IPlatformStateStore state,
    TimeProvider time,
    ILeadership leadership,
    IOptions<TelegramOptions> options,
    ILogger<TelegramReceiverService> logger) : BackgroundService
{
    public const string OffsetKey = "update_offset";

    /// <summary>The <see cref="ILeadership"/> role of the one process that polls getUpdates.</summary>
    public const string LeadershipRole = "telegram.receiver";

    /// <summary>The update kinds NewsBot reads; my_chat_member tells when the bot is added, removed or blocked.</summary>
    public static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.ChannelPost, UpdateType.MyChatMember];

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    /// <summary>Another instance polling with this token holds its request up to one poll timeout: wait at least that long (and 1 s).</summary>
    private TimeSpan ConflictWait => options.Value.PollTimeout > TimeSpan.FromSeconds(1) ? options.Value.PollTimeout : TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, bot.Stopped);
        var token = stopping.Token;
        try
        {
            await RetryAsync("could not connect", async ct => LogConnected(logger, await bot.GetUsernameAsync(ct), options.Value.UseWebhook ? "webhook" : "long polling"), token);
            await ReceiveWhileLeadingAsync(token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Host stopping, or the token was refused (already logged).
        }
    }

    /// <summary>
    /// Waits to lead the receiver role, then registers the menu and the receiving mode (setWebhook, or deleteWebhook
    /// before polling) and receives until the role is lost: every process reads its username with getMe and sends,
    /// but only the leader talks to Telegram about receiving, so a cluster sets the menu once and polls once.
    /// </summary>
    private async Task ReceiveWhileLeadingAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var lead = await leadership.WaitToLeadAsync(LeadershipRole, cancellationToken);
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lead);
            try
            {
                await RetryAsync("could not register", RegisterAsync, leading.Token);
                if (options.Value.UseWebhook)
                {
                    // Telegram calls the webhook URL; whichever process the proxy picks answers. Hold the role meanwhile.
                    await Task.Delay(Timeout.InfiniteTimeSpan, time, leading.Token);
                }
                else
                {
                    await PollAsync(leading.Token);
                }
            }
            catch (OperationCanceledException) when (lead.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Lost the role mid-poll: the request in flight is abandoned, its updates stay with Telegram.
            }

            cancellationToken.ThrowIfCancellationRequested();
            LogLeadershipLost(logger);
        }
    }

    /// <summary>The command menu (only when it changed) and the receiving mode.</summary>
    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        await menu.RegisterAsync(cancellationToken);
        var client = bot.Client;
        if (options.Value.UseWebhook)
        {
            await client.SetWebhook(options.Value.WebhookUrl, allowedUpdates: AllowedUpdates, secretToken: options.Value.SecretToken, cancellationToken: cancellationToken);
        }
        else
        {
            // getUpdates answers 409 while a webhook is set; keep pending updates, they are ours to read.
            await client.DeleteWebhook(dropPendingUpdates: false, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Runs <paramref name="call"/> until Telegram answers it, with backoff, reporting failures in /healthz.</summary>
    private async Task RetryAsync(string what, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await call(cancellationToken);
                bot.ReportReachable();
                return;
            }
            catch (RequestException ex)
            {
                var error = bot.Classify(ex);
                cancellationToken.ThrowIfCancellationRequested();
                bot.ReportFailure(what + ": " + error.Reason);
                LogConnectFailed(logger, what, error.Reason, backoff);
                await Task.Delay(error.RetryAfter ?? backoff, time, cancellationToken);
                backoff = Next(backoff);
            }
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var stored = await state.GetAsync(Platform.Telegram.ToKey(), OffsetKey, cancellationToken);
        var offset = stored is null ? 0 : int.Parse(stored, CultureInfo.InvariantCulture);
        var backoff = TimeSpan.FromSeconds(1);
        var timeout = (int)options.Value.PollTimeout.TotalSeconds;
        while (!cancellationToken.IsCancellationRequested)
        {
            Update[] updates;
            try
            {
                updates = await bot.Client.GetUpdates(offset, limit: 100, timeout: timeout, allowedUpdates: AllowedUpdates, cancellationToken: cancellationToken);
                backoff = TimeSpan.FromSeconds(1);
                bot.ReportReachable();
            }
            catch (RequestException ex)
            {
                var error = bot.Classify(ex);
                cancellationToken.ThrowIfCancellationRequested();
                var wait = error.Reason == "telegram.conflict" ? ConflictWait : error.RetryAfter ?? backoff;
                bot.ReportFailure("getUpdates failed: " + error.Reason);
                if (error.Reason == "telegram.conflict")
                {
                    LogConflict(logger, wait);
                }
                else
                {
                    LogPollFailed(logger, error.Reason, wait);
                    backoff = Next(backoff);
                }

                await Task.Delay(wait, time, cancellationToken);
                continue;
            }

            if (updates.Length == 0)
            {
                continue;
            }

            var next = offset;
            foreach (var update in updates)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                await HandleOneAsync(update);
                next = update.Id + 1;
            }

            // Stored even when stopping: what was handled is done; the rest stays with Telegram for the next start.
            await state.SetAsync(Platform.Telegram.ToKey(), OffsetKey, next.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
            offset = next;
        }
    }

    /// <summary>One bad update never stops the loop. A stop mid-update lets it finish (the host's shutdown timeout still bounds it).</summary>
    private async Task HandleOneAsync(Update update)
    {
        try
        {
            await handler.HandleAsync(update, bot.Stopped);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !bot.IsStopped)
        {
            LogUpdateFailed(logger, update.Id, ex);
        }
    }

    private static TimeSpan Next(TimeSpan backoff) => backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram bot @{BotUsername} connected ({Mode})")]
    private static partial void LogConnected(ILogger logger, string botUsername, string mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: {What} ({Reason}); trying again in {Delay}")]
    private static partial void LogConnectFailed(ILogger logger, string what, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram answered 409 Conflict: another process is reading updates for this bot token (only one NewsBot may run per token, and no webhook may be set). Trying again in {Delay}")]
    private static partial void LogConflict(ILogger logger, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram updates: another process receives them now; this one stopped polling and waits to take over")]
    private static partial void LogLeadershipLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram getUpdates failed ({Reason}); trying again in {Delay}")]
    private static partial void LogPollFailed(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram update {UpdateId} could not be handled; skipped")]
    private static partial void LogUpdateFailed(ILogger logger, int updateId, Exception exception);
}
