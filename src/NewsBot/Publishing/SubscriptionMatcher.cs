using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using NewsBot.Model;
using NewsBot.Text;

namespace NewsBot.Publishing;

/// <summary>
/// Include/exclude filters of a subscription over title, teaser, summary and topics. A filter is a plain word
/// (case-insensitive, whole word) or a /regex/ run with the non-backtracking engine and a timeout.
/// </summary>
public sealed class SubscriptionMatcher
{
    private readonly ConcurrentDictionary<string, Regex?> _patterns = new(StringComparer.Ordinal);

    public bool Matches(Subscription subscription, Article article)
    {
        if (subscription.Include.Count == 0 && subscription.Exclude.Count == 0)
        {
            return true;
        }

        var text = string.Join('\n', new[] { article.Title, article.Teaser, article.Summary }.OfType<string>().Concat(article.Topics).Concat(article.Categories));
        if (subscription.Include.Count > 0 && !subscription.Include.Any(filter => IsMatch(filter, text)))
        {
            return false;
        }

        return !subscription.Exclude.Any(filter => IsMatch(filter, text));
    }

    /// <summary>Checks a filter the way it will run; the reason says what is wrong with a bad one.</summary>
    public static string? Validate(string filter)
    {
        if (!IsRegex(filter))
        {
            return filter.Trim().Length == 0 ? "an empty filter" : null;
        }

        return SafeRegex.Validate(filter[1..^1]) is { } reason ? $"the pattern {filter} {reason}" : null;
    }

    private bool IsMatch(string filter, string text)
    {
        return _patterns.GetOrAdd(filter, Compile) is { } regex && SafeRegex.IsMatch(regex, text);
    }

    private static Regex? Compile(string filter)
    {
        var pattern = IsRegex(filter) ? filter[1..^1] : $@"\b{Regex.Escape(filter.Trim())}\b";
        try
        {
            return SafeRegex.Create(pattern);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static bool IsRegex(string filter) => filter.Length > 2 && filter[0] == '/' && filter[^1] == '/';
}
