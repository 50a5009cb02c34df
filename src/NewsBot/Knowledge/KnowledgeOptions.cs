using System.ComponentModel.DataAnnotations;

namespace NewsBot.Knowledge;

/// <summary>The "NewsBot:Knowledge" section: summary length, topic rules and keyphrases.</summary>
public sealed class KnowledgeOptions : IValidatableObject
{
    public const string Section = "NewsBot:Knowledge";

    [Range(1, 10, ErrorMessage = "NewsBot:Knowledge:SummarySentences must be between 1 and 10.")]
    public int SummarySentences { get; set; } = 3;

    /// <summary>Chat posts have little room: whole sentences are dropped to fit.</summary>
    [Range(80, 4000, ErrorMessage = "NewsBot:Knowledge:MaxSummaryCharacters must be between 80 and 4000.")]
    public int MaxSummaryCharacters { get; set; } = 600;

    /// <summary>How many statistical keyphrases become topics of an article (0 turns them off).</summary>
    [Range(0, 20, ErrorMessage = "NewsBot:Knowledge:KeyphraseCount must be between 0 and 20.")]
    public int KeyphraseCount { get; set; } = 3;

    /// <summary>Configured topics: a name with keywords and/or a regular expression.</summary>
    public List<TopicRuleOptions> Rules { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            var setting = $"{Section}:Rules:{i}";
            if (string.IsNullOrWhiteSpace(rule.Name))
            {
                yield return new ValidationResult($"{setting}:Name must not be empty.", [nameof(Rules)]);
            }

            var hasKeywords = rule.Keywords.Any(k => !string.IsNullOrWhiteSpace(k));
            if (!hasKeywords && string.IsNullOrEmpty(rule.Pattern))
            {
                yield return new ValidationResult($"{setting} needs Keywords or a Pattern.", [nameof(Rules)]);
            }

            if (!string.IsNullOrEmpty(rule.Pattern) && TopicRule.ValidatePattern(rule.Pattern) is { } reason)
            {
                yield return new ValidationResult($"{setting}:Pattern is not a usable regular expression (no backreferences or lookarounds): {reason}", [nameof(Rules)]);
            }
        }
    }
}

public sealed class TopicRuleOptions
{
    public string Name { get; set; } = "";

    /// <summary>Whole words or phrases, matched in any case in the title or text.</summary>
    public List<string> Keywords { get; set; } = [];

    /// <summary>A .NET regular expression run with the non-backtracking engine, case-insensitive.</summary>
    public string? Pattern { get; set; }
}
