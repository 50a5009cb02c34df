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

    /// <summary>Keyphrases need document frequencies to tell a topic from a common word: none until the archive holds this many articles.</summary>
    [Range(0, 1_000_000, ErrorMessage = "NewsBot:Knowledge:MinArchiveForKeyphrases must be between 0 and 1000000.")]
    public int MinArchiveForKeyphrases { get; set; } = 200;

    /// <summary>Configured topics: a name with keywords and/or a regular expression.</summary>
    public List<TopicRuleOptions> Rules { get; set; } = [];

    /// <summary>Optional summaries by a language model; off unless an endpoint is set.</summary>
    public LlmOptions Llm { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Data annotations do not look into nested objects; the Llm messages name their settings themselves.
        var llmResults = new List<ValidationResult>();
        Validator.TryValidateObject(Llm, new ValidationContext(Llm), llmResults, validateAllProperties: true);
        foreach (var result in llmResults)
        {
            yield return result;
        }

        if (!string.IsNullOrEmpty(Llm.Endpoint)
            && !(Uri.TryCreate(Llm.Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"))
        {
            yield return new ValidationResult($"{Section}:Llm:Endpoint must be an absolute http(s) URL such as https://api.openai.com/v1.", [nameof(Llm)]);
        }

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

/// <summary>"NewsBot:Knowledge:Llm": an OpenAI-compatible chat endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, ...).</summary>
public sealed class LlmOptions
{
    /// <summary>Base URL up to the API version, e.g. https://api.openai.com/v1 or http://localhost:11434/v1. Empty: off.</summary>
    public string? Endpoint { get; set; }

    [Required(AllowEmptyStrings = false, ErrorMessage = "NewsBot:Knowledge:Llm:Model must not be empty.")]
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>From the environment (NewsBot__Knowledge__Llm__ApiKey) or user-secrets; never logged. Local servers ignore it.</summary>
    public string? ApiKey { get; set; }

    /// <summary>After this the extractive summary is used instead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "NewsBot:Knowledge:Llm:Timeout must be between 00:00:01 and 00:05:00.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    [Range(16, 4000, ErrorMessage = "NewsBot:Knowledge:Llm:MaxOutputTokens must be between 16 and 4000.")]
    public int MaxOutputTokens { get; set; } = 250;

    /// <summary>The article is cut to this many characters before it is sent: the input side of the token budget.</summary>
    [Range(500, 200_000, ErrorMessage = "NewsBot:Knowledge:Llm:MaxInputCharacters must be between 500 and 200000.")]
    public int MaxInputCharacters { get; set; } = 8000;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Endpoint);
}
