using NewsBot.Model;

namespace NewsBot.Storage;

/// <summary>Sources and their polling state.</summary>
public interface ISourceStore
{
    /// <summary>Adds a source, or returns the existing one with that URL; Created says which.</summary>
    Task<(Source Source, bool Created)> AddAsync(string url, string? name, FullTextMode fullText, bool fromConfig, SourceKind kind, CancellationToken cancellationToken);

    /// <summary>The configured source that held position <paramref name="slot"/> of NewsBot:Feeds:Sources at the last start.</summary>
    Task<Source?> GetByConfigSlotAsync(int slot, CancellationToken cancellationToken);

    /// <summary>Records that the source holds position <paramref name="slot"/> of NewsBot:Feeds:Sources (and no other source does).</summary>
    Task SetConfigSlotAsync(long id, int slot, CancellationToken cancellationToken);

    /// <summary>
    /// Points a source at a new URL. Everything learnt from the old one (validators, title, failures, the first-read
    /// mark) is reset, so the new feed is read as new: its newest items are backfilled, nothing posted is posted again.
    /// </summary>
    Task MoveAsync(long id, string url, CancellationToken cancellationToken);

    /// <summary>
    /// Stops the configured sources whose URL is no longer configured: disabled with the reason, no longer counted
    /// as configured (so /source remove deletes them). Returns the ones stopped now.
    /// </summary>
    Task<IReadOnlyList<Source>> RetireUnconfiguredAsync(IReadOnlyCollection<string> configuredUrls, string reason, CancellationToken cancellationToken);

    /// <summary>How a source is read: a feed, or an index page whose article links (matching the pattern, when given) become items.</summary>
    Task SetKindAsync(long id, SourceKind kind, string? linkPattern, CancellationToken cancellationToken);

    Task<Source?> GetAsync(long id, CancellationToken cancellationToken);

    Task<Source?> GetByUrlAsync(string url, CancellationToken cancellationToken);

    /// <summary>The display names of some sources (a post's byline), without reading every source.</summary>
    Task<IReadOnlyDictionary<long, string>> GetDisplayNamesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    Task<IReadOnlyList<Source>> ListAsync(CancellationToken cancellationToken);

    /// <summary>All sources, and how many are failing (polled, last poll failed), disabled and paused: one row, for /healthz.</summary>
    Task<SourceStateCounts> CountByStateAsync(CancellationToken cancellationToken);

    /// <summary>Sources whose next poll is due, soonest first; paused and disabled ones are left alone.</summary>
    Task<IReadOnlyList<Source>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    Task MarkPolledAsync(long id, SourcePollSuccess success, CancellationToken cancellationToken);

    /// <summary>Records a failed poll; true when this failure disabled the source.</summary>
    Task<bool> MarkFailedAsync(long id, string error, DateTimeOffset nextPollAt, string? disableReason, CancellationToken cancellationToken);

    Task<bool> SetPausedAsync(long id, bool paused, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a source with its articles and subscriptions (what each channel was given stays known, so adding the
    /// source back posts none of it again). Returns what was deleted, or null when there was no such source.
    /// </summary>
    Task<SourceRemoval?> RemoveAsync(long id, CancellationToken cancellationToken);
}

/// <summary>What a successful poll leaves on the source row.</summary>
public sealed record SourcePollSuccess(
    DateTimeOffset PolledAt,
    DateTimeOffset NextPollAt,
    string? ETag,
    string? LastModified,
    string? Title,
    string? SiteUrl,
    string? MovedTo);

/// <summary>What removing a source deleted with it.</summary>
public sealed record SourceRemoval(long Articles, long Subscriptions);

/// <summary>Source counts by state; Failing counts only sources still polled (not paused, not disabled).</summary>
public sealed record SourceStateCounts(int Total, int Failing, int Disabled, int Paused);
