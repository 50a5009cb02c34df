using System.ComponentModel.DataAnnotations;

namespace NewsBot.Commands;

/// <summary>The "NewsBot" section's command key: who owns the bot.</summary>
public sealed class OwnerOptions : IValidatableObject
{
    public const string Section = "NewsBot";

    /// <summary>Bot owners: users who are admins everywhere, as "platform:userId" (e.g. "discord:80351110224678912", "telegram:12345").</summary>
    public List<string> Owners { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Owners.Count; i++)
        {
            var parts = Owners[i].Split(':');
            if (parts.Length != 2 || parts[0] is not ("discord" or "telegram" or "console") || parts[1].Length == 0)
            {
                yield return new ValidationResult($"NewsBot:Owners:{i} is '{Owners[i]}'; write owners as discord:<user id> or telegram:<user id>.");
            }
        }
    }
}
