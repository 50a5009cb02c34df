namespace NewsBot.Storage;

/// <summary>
/// Which engine holds the data ("NewsBot:Database:Provider"): the embedded SQLite file (the default, at
/// NewsBot:Database) or a PostgreSQL server ("NewsBot:Database:ConnectionString"). Read when the services are
/// composed, so a bad value stops start-up before anything opens (<see cref="StorageServiceCollectionExtensions"/>).
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "NewsBot:Database";

    public const string ProviderSetting = Section + ":Provider";

    public const string ConnectionStringSetting = Section + ":ConnectionString";

    /// <summary>sqlite (default) or postgres.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>For postgres: a connection string (Host=…;Database=…;Username=…); the password may instead come from PGPASSWORD.</summary>
    public string? ConnectionString { get; set; }
}
