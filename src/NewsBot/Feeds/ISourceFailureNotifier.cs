using NewsBot.Model;

namespace NewsBot.Feeds;

/// <summary>Tells the admins of the channels subscribed to a source that it was disabled (once, when it happens).</summary>
public interface ISourceFailureNotifier
{
    Task SourceDisabledAsync(Source source, string reason, CancellationToken cancellationToken);
}
