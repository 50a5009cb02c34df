using System.Text.RegularExpressions;

using NewsBot.Text;

namespace NewsBot.Knowledge;

/// <summary>
/// A configured topic: an article belongs to it when its title or text contains one of the keywords (whole
/// words, any case) or matches the pattern. Patterns run with the non-backtracking engine and a timeout, so a
/// hostile pattern from configuration cannot stall ingestion.
/// </summary>
public sealed class TopicRule
{
    private readonly string[] _keywords;
    private readonly Regex? _pattern;

    /// <exception cref="ArgumentException">The pattern is not a valid regular expression; check with <see cref="ValidatePattern"/> first.</exception>
    public TopicRule(string name, IEnumerable<string>? keywords, string? pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _keywords = (keywords ?? []).Select(k => k.Trim()).Where(k => k.Length > 0).ToArray();
        _pattern = string.IsNullOrEmpty(pattern) ? null : SafeRegex.Create(pattern);
    }

    public string Name { get; }

    /// <summary>Null when the pattern compiles, else the reason it does not.</summary>
    public static string? ValidatePattern(string pattern) => SafeRegex.Validate(pattern);

    public bool Matches(string title, string? text)
    {
        ArgumentNullException.ThrowIfNull(title);
        return Matches(title) || (text is not null && Matches(text));
    }

    private bool Matches(string input)
    {
        foreach (var keyword in _keywords)
        {
            if (ContainsWord(input, keyword))
            {
                return true;
            }
        }

        if (_pattern is null)
        {
            return false;
        }

        // A pattern too slow for this text counts as no match; the article is still stored.
        return SafeRegex.IsMatch(_pattern, input);
    }

    private static bool ContainsWord(string input, string keyword)
    {
        var from = 0;
        while (from <= input.Length - keyword.Length)
        {
            var at = input.IndexOf(keyword, from, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }

            if (IsEdge(input, at - 1, keyword[0]) && IsEdge(input, at + keyword.Length, keyword[^1]))
            {
                return true;
            }

            from = at + 1;
        }

        return false;
    }

    // A keyword must not be part of a longer word ("AI" is not in "said"); scripts without spaces have no word edges.
    private static bool IsEdge(string input, int index, char keywordEnd) =>
        index < 0 || index >= input.Length || !char.IsLetterOrDigit(input[index]) || !char.IsLetterOrDigit(keywordEnd)
        || (System.Text.Rune.TryCreate(keywordEnd, out var rune) && TextTokens.IsUnspacedScript(rune));
}
