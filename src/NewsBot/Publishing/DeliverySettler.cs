using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Model;
using NewsBot.Runtime;
using NewsBot.Storage;

namespace NewsBot.Publishing;

/// <summary>
/// Stores what became of a send (sent, retry, the channel gone or moved, the one message refused) and what the
/// schedule decided (dropped, postponed). Every update is fenced by this process's claim: a process that lost a
/// channel's claim (its lease ran out while it hung) changes nothing, and the channel's new holder decides.
/// </summary>
public sealed partial class DeliverySettler(
    IDeliveryStore deliveries,
    ISubscriptionStore subscriptions,
    IChannelStore channels,
    ProcessIdentity process,
    TimeProvider time,
    IOptions<PublishingOptions> options,
    ILogger<DeliverySettler> logger)
{
    // Sends run in parallel across channels, their "sent" commits one at a time: SQLite has one writer, and writers
    // that collide wait in its busy handler (milliseconds of sleep) instead of queueing here (microseconds); the
    // recorder's prepared statement is not thread-safe either.
    private readonly SemaphoreSlim _commits = new(1, 1);

    private string Owner => process.Id;

    /// <summary>A recorder for one round's single "sent" commits, fenced by this process's claims.</summary>
    public Task<ISentRecorder> OpenRecorderAsync(CancellationToken cancellationToken) =>
        deliveries.OpenSentRecorderAsync(Owner, cancellationToken);

    public Task DropAsync(IReadOnlyList<Delivery> dropped, string reason, CancellationToken cancellationToken) =>
        deliveries.MarkFailedAsync(Owner, Ids(dropped), reason, cancellationToken);

    public Task PostponeAsync(IEnumerable<Delivery> held, DateTimeOffset until, CancellationToken cancellationToken) =>
        deliveries.PostponeAsync(Owner, Ids(held), until, cancellationToken);

    /// <summary>Stores a send's outcome; says whether the channel's next post may go now, and when a failed one is tried again.</summary>
    public async Task<SendOutcome> SettleAsync(IPlatformPublisher publisher, Channel channel, IReadOnlyList<Delivery> sent, PublishResult result, DeliveryStatus sentStatus, ISentRecorder recorder, CancellationToken cancellationToken)
    {
        if (result.Outcome == PublishOutcome.Sent)
        {
            // Never cancelled: the platform already took the post, and only this commit stops a resend after a restart.
            await _commits.WaitAsync(CancellationToken.None);
            try
            {
                if (sentStatus == DeliveryStatus.Sent && sent is [var single])
                {
                    await recorder.MarkSentAsync(single.Id, result.MessageId ?? "", time.GetUtcNow(), CancellationToken.None);
                }
                else
                {
                    await deliveries.MarkSentAsync(Owner, Ids(sent), sentStatus, result.MessageId ?? "", time.GetUtcNow(), CancellationToken.None);
                }
            }
            finally
            {
                _commits.Release();
            }

            return new SendOutcome(Continue: true, RetryAt: null);
        }

        if (result.Outcome == PublishOutcome.Failed)
        {
            // Only this message was refused (our markup, its length): it will not improve with retries, and the channel is fine.
            var reason = result.Reason ?? "publish.failed";
            await deliveries.MarkFailedAsync(Owner, Ids(sent), reason, cancellationToken);
            LogDeliveryFailed(logger, channel.Platform, channel.ExternalId, reason);
            return new SendOutcome(Continue: true, RetryAt: null);
        }

        return new SendOutcome(Continue: false, RetryAt: await SettleFailureAsync(publisher, channel, sent, result, cancellationToken));
    }

    /// <summary>Stores a failed send's outcome; returns when it will be tried again, if it will.</summary>
    private async Task<DateTimeOffset?> SettleFailureAsync(IPlatformPublisher publisher, Channel channel, IReadOnlyList<Delivery> failed, PublishResult result, CancellationToken cancellationToken)
    {
        var ids = Ids(failed);
        var now = time.GetUtcNow();
        switch (result.Outcome)
        {
            case PublishOutcome.Moved when result.NewExternalId is { } newId:
                await channels.MoveAsync(channel.Id, newId, cancellationToken);
                await deliveries.PostponeAsync(Owner, ids, now, cancellationToken);
                LogChannelMoved(logger, channel.Platform, channel.ExternalId, newId);
                return null;
            case PublishOutcome.Permanent or PublishOutcome.Moved:
                var reason = result.Reason ?? "publish.permanent";
                await deliveries.MarkFailedAsync(Owner, ids, reason, cancellationToken);
                var paused = await subscriptions.PauseChannelAsync(channel.Id, reason, cancellationToken);
                await deliveries.FailPendingForChannelAsync(Owner, channel.Id, reason, cancellationToken);
                LogChannelPaused(logger, channel.Platform, channel.ExternalId, reason);
                if (paused > 0)
                {
                    // Once, on the transition; where the channel cannot take even this, the stored reason shows in /subscriptions.
                    var notice = await publisher.NotifyAsync(channel, ChannelTexts.Of(channel).Format("Notice.Stopped", reason), cancellationToken);
                    if (notice.Outcome != PublishOutcome.Sent)
                    {
                        LogNoticeFailed(logger, channel.Platform, channel.ExternalId, notice.Reason);
                    }
                }

                return null;
            default:
                var attempts = failed.Max(d => d.Attempts) + 1;
                if (attempts >= options.Value.MaxAttempts)
                {
                    await deliveries.MarkFailedAsync(Owner, ids, $"publish.gave_up after {attempts} attempts: {result.Reason}", cancellationToken);
                    return null;
                }

                var backoff = RetryDelay(attempts);
                var wait = result.RetryAfter is { } retryAfter && retryAfter > backoff ? retryAfter : backoff;
                await deliveries.MarkRetryAsync(Owner, ids, now + wait, result.Reason ?? "publish.retry", cancellationToken);
                LogRetry(logger, channel.Platform, channel.ExternalId, result.Reason, wait);
                return now + wait;
        }
    }

    private TimeSpan RetryDelay(int attempts)
    {
        var exponential = options.Value.RetryDelay * Math.Pow(2, Math.Min(attempts - 1, 20));
        var capped = exponential > options.Value.MaxRetryDelay ? options.Value.MaxRetryDelay : exponential;
        // ±20 % jitter so many channels failing together do not retry together.
        return capped * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    private static List<long> Ids(IEnumerable<Delivery> list) => list.Select(d => d.Id).ToList();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscriptions of {Platform} channel {ChannelId} paused: {Reason}")]
    private static partial void LogChannelPaused(ILogger logger, Platform platform, string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell {Platform} channel {ChannelId} why it was paused: {Reason}")]
    private static partial void LogNoticeFailed(ILogger logger, Platform platform, string channelId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Platform} channel {ChannelId} refused one post, which is dropped: {Reason}")]
    private static partial void LogDeliveryFailed(ILogger logger, Platform platform, string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Platform} channel {ChannelId} moved to {NewChannelId}")]
    private static partial void LogChannelMoved(ILogger logger, Platform platform, string channelId, string newChannelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery to {Platform} channel {ChannelId} will be retried in {Delay}: {Reason}")]
    private static partial void LogRetry(ILogger logger, Platform platform, string channelId, string? reason, TimeSpan delay);
}

/// <summary>
/// Whether the channel's next post may go now (this one was sent, had nothing to send, or failed alone), and when
/// a failed send is tried again.
/// </summary>
public readonly record struct SendOutcome(bool Continue, DateTimeOffset? RetryAt);
