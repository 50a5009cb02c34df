namespace NewsBot.Storage;

/// <summary>Small per-platform values that must survive a restart: gateway session, Telegram update offset, command hash.</summary>
public interface IPlatformStateStore
{
    Task<string?> GetAsync(string platform, string key, CancellationToken cancellationToken);

    Task SetAsync(string platform, string key, string value, CancellationToken cancellationToken);
}
