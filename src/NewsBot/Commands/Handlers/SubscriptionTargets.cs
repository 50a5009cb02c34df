using NewsBot.Localization;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

/// <summary>Reads "all", "topic:&lt;name&gt;" or a source (id, URL, name) into a subscription target.</summary>
public sealed class SubscriptionTargets(SourceLookup sources, ITopicNormalizer topics)
{
    public async Task<(Subscription? Target, string? Label, string? Error)> ParseAsync(long channelId, string text, Texts texts, CancellationToken cancellationToken)
    {
        var trimmed = text.Trim();
        if (string.Equals(trimmed, "all", StringComparison.OrdinalIgnoreCase))
        {
            return (new Subscription { ChannelId = channelId, Target = SubscriptionTarget.All }, texts["Target.Everything"], null);
        }

        if (trimmed.StartsWith("topic:", StringComparison.OrdinalIgnoreCase))
        {
            var name = topics.Normalize(trimmed["topic:".Length..]);
            return name.Key.Length == 0
                ? (null, null, texts["Target.NameTopic"])
                : (new Subscription { ChannelId = channelId, Target = SubscriptionTarget.Topic, TopicKey = name.Key }, texts.Format("Target.Topic", name.Display), null);
        }

        var source = await sources.FindAsync(trimmed, cancellationToken);
        return source is null
            ? (null, null, texts.Format("Target.NoMatch", trimmed))
            : (new Subscription { ChannelId = channelId, Target = SubscriptionTarget.Source, SourceId = source.Id }, texts.Format("Target.Source", source.DisplayName), null);
    }
}
