using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

/// <summary>Reads "all", "topic:&lt;name&gt;" or a source (id, URL, name) into a subscription target.</summary>
public sealed class SubscriptionTargets(SourceLookup sources, ITopicNormalizer topics)
{
    public async Task<(Subscription? Target, string? Label, string? Error)> ParseAsync(long channelId, string text, CancellationToken cancellationToken)
    {
        var trimmed = text.Trim();
        if (string.Equals(trimmed, "all", StringComparison.OrdinalIgnoreCase))
        {
            return (new Subscription { ChannelId = channelId, Target = SubscriptionTarget.All }, "everything", null);
        }

        if (trimmed.StartsWith("topic:", StringComparison.OrdinalIgnoreCase))
        {
            var name = topics.Normalize(trimmed["topic:".Length..]);
            return name.Key.Length == 0
                ? (null, null, "Name the topic after topic:, e.g. topic:climate.")
                : (new Subscription { ChannelId = channelId, Target = SubscriptionTarget.Topic, TopicKey = name.Key }, $"topic {name.Display}", null);
        }

        var source = await sources.FindAsync(trimmed, cancellationToken);
        return source is null
            ? (null, null, $"No source matches \"{trimmed}\". Use a source id or name from /sources, topic:<name>, or all.")
            : (new Subscription { ChannelId = channelId, Target = SubscriptionTarget.Source, SourceId = source.Id }, $"\"{source.DisplayName}\"", null);
    }
}
