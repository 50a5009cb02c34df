using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using NewsBot.Model;

namespace NewsBot.Publishing;

/// <summary>
/// Include/exclude filters of a subscription over title, teaser, summary and topics. A filter is a plain word
/// (case-insensitive, whole word) or a /regex/ run with the non-backtracking engine and a timeout.
/// </summary>
public sealed class SubscriptionMatcher : ISubscriptionMatcher
{
    // The non-backtracking engine is linear in the input, so this only guards against pathological sizes; it is
    // generous because building the engine's automaton lazily on a busy machine can take tens of milliseconds.
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);
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

        try
        {
            _ = new Regex(filter[1..^1], RegexOptions.NonBacktracking | RegexOptions.IgnoreCase, RegexTimeout);
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"the pattern {filter} is not a valid regular expression ({ex.Message})";
        }
        catch (NotSupportedException ex)
        {
            return $"the pattern {filter} uses a construct the safe regex engine does not support ({ex.Message})";
        }
    }

    private bool IsMatch(string filter, string text)
    {
        var regex = _patterns.GetOrAdd(filter, Compile);
        try
        {
            return regex?.IsMatch(text) ?? false;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static Regex? Compile(string filter)
    {
        var pattern = IsRegex(filter) ? filter[1..^1] : $@"\b{Regex.Escape(filter.Trim())}\b";
        try
        {
            return new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static bool IsRegex(string filter) => filter.Length > 2 && filter[0] == '/' && filter[^1] == '/';
}
