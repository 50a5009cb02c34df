using System.ComponentModel.DataAnnotations;

namespace NewsBot.Storage;

/// <summary>The "NewsBot" section's storage key: where the database is.</summary>
public sealed class StorageOptions
{
    public const string Section = "NewsBot";

    /// <summary>The SQLite file, relative to the folder that holds appsettings.json.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "NewsBot:Database must name a file, e.g. data/newsbot.db.")]
    public string Database { get; set; } = "data/newsbot.db";
}
