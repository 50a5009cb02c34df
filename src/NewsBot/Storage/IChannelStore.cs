using NewsBot.Model;

namespace NewsBot.Storage;

/// <summary>Channels: where posts go, with their governor settings.</summary>
public interface IChannelStore
{
    Task<Channel> GetOrAddAsync(Platform platform, string externalId, string? threadId, string? name, string? groupId, CancellationToken cancellationToken);

    Task<Channel?> GetAsync(long id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Channel>> ListAsync(Platform platform, CancellationToken cancellationToken);

    Task UpdateSettingsAsync(long id, int maxPostsPerHour, TimeOnly? quietStart, TimeOnly? quietEnd, string timeZone, CancellationToken cancellationToken);

    /// <summary>/settings language: a shipped language code, or null to follow each user's and the place's language.</summary>
    Task SetLanguageAsync(long id, string? language, CancellationToken cancellationToken);

    /// <summary>The language the platform reports for the place (a Discord server's locale), kept for posts.</summary>
    Task SetPlatformLocaleAsync(long id, string locale, CancellationToken cancellationToken);

    /// <summary>A Telegram group became a supergroup: the channel keeps its subscriptions under the new id.</summary>
    Task MoveAsync(long id, string newExternalId, CancellationToken cancellationToken);
}
