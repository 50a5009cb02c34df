using System.ComponentModel.DataAnnotations;

namespace NewsBot.Storage;

/// <summary>The "NewsBot" section's own keys.</summary>
public sealed class NewsBotOptions
{
    public const string Section = "NewsBot";

    /// <summary>The SQLite file, relative to the folder that holds appsettings.json.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "NewsBot:Database must name a file, e.g. data/newsbot.db.")]
    public string Database { get; set; } = "data/newsbot.db";

    /// <summary>Bot owners: users who are admins everywhere, as "platform:userId" (e.g. "discord:80351110224678912", "telegram:12345").</summary>
    public List<string> Owners { get; set; } = [];
}
