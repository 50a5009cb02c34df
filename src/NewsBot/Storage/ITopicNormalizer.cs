namespace NewsBot.Storage;

/// <summary>Turns a topic name into the key that identifies it ("AI Agents" and "ai agent" share one) and a display name.</summary>
public interface ITopicNormalizer
{
    TopicName Normalize(string name);
}

public sealed record TopicName(string Key, string Display);
