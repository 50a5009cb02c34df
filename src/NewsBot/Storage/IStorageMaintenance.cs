namespace NewsBot.Storage;

/// <summary>The database as operators see it: schema, counts and backup.</summary>
public interface IStorageMaintenance
{
    /// <summary>The setting that says where the data lives (NewsBot:Database, NewsBot:Database:ConnectionString), for messages.</summary>
    string Setting { get; }

    /// <summary>Where the data lives, safe to print (a file path, a connection string without its password).</summary>
    string Location { get; }

    /// <summary>Whether the database is already there (a mistyped path must not create an empty one).</summary>
    bool Exists { get; }

    /// <summary>Why the database (or a backup target) cannot be used, in words an operator can act on; null for other failures.</summary>
    string? FailureReason(Exception exception);

    /// <summary>The schema version this build brings the database to.</summary>
    int SchemaVersion { get; }

    /// <summary>Brings the database to <see cref="SchemaVersion"/>; refuses a newer one with <see cref="StorageVersionException"/>.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Rows per table (sources, articles, topics, channels, subscriptions, deliveries), pending deliveries and the size, for <c>db info</c>.</summary>
    Task<IReadOnlyDictionary<string, long>> DescribeAsync(CancellationToken cancellationToken);

    /// <summary>A consistent copy while the bot keeps writing; returns where it went.</summary>
    Task<string> BackupAsync(string target, CancellationToken cancellationToken);
}

/// <summary>The database cannot be used by this build; the message says why and what to do.</summary>
public sealed class StorageVersionException(string message) : Exception(message);
