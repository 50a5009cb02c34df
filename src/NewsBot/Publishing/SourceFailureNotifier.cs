using Microsoft.Extensions.Logging;
using NewsBot.Feeds;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Publishing;

/// <summary>Tells every channel subscribed to a disabled source why it went quiet (once: called on the transition).</summary>
public sealed partial class SourceFailureNotifier(
    IEnumerable<IPlatformPublisher> publishers,
    ISubscriptionStore subscriptions,
    IChannelStore channels,
    ILogger<SourceFailureNotifier> logger) : ISourceFailureNotifier
{
    private readonly Dictionary<Platform, IPlatformPublisher> _publishers = publishers.ToDictionary(p => p.Platform);

    public async Task SourceDisabledAsync(Source source, string reason, CancellationToken cancellationToken)
    {
        LogSourceDisabled(logger, source.Id, source.Url, reason);
        foreach (var channelId in (await subscriptions.ListForSourceAsync(source.Id, cancellationToken)).Select(s => s.ChannelId).Distinct())
        {
            if (await channels.GetAsync(channelId, cancellationToken) is { } channel && _publishers.TryGetValue(channel.Platform, out var publisher))
            {
                await publisher.NotifyAsync(channel, ChannelTexts.Of(channel).Format("Notice.SourceDisabled", source.DisplayName, reason, source.Id), cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {SourceId} ({SourceUrl}) disabled: {Reason}")]
    private static partial void LogSourceDisabled(ILogger logger, long sourceId, string sourceUrl, string reason);
}
