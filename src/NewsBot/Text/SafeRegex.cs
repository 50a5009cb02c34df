using System.Text.RegularExpressions;

namespace NewsBot.Text;

/// <summary>
/// Regular expressions written by admins (subscription filters, topic rules, index-page link patterns), built so
/// that none can stall the bot: the non-backtracking engine (linear in the input), any case, and a match timeout
/// after which the text counts as not matching.
/// </summary>
public static class SafeRegex
{
    // The engine is linear, so this only guards against pathological sizes; it is generous because the first match
    // also builds the engine's automaton, which on a busy machine can take tens of milliseconds.
    internal static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <exception cref="ArgumentException">Not a regular expression; check with <see cref="Validate"/> first.</exception>
    /// <exception cref="NotSupportedException">Uses a construct the engine cannot run (backreferences, lookarounds).</exception>
    public static Regex Create(string pattern) =>
        new(pattern, RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout);

    /// <summary>Null when the pattern can run, else what is wrong with it, phrased to follow "the pattern …".</summary>
    public static string? Validate(string pattern)
    {
        try
        {
            Create(pattern);
            return null;
        }
        catch (NotSupportedException ex)
        {
            return $"uses a construct the safe regex engine does not support ({ex.Message})";
        }
        catch (ArgumentException ex)
        {
            return $"is not a valid regular expression ({ex.Message})";
        }
    }

    /// <summary>Whether the text matches; a match that runs out of time counts as none (the caller's work goes on).</summary>
    public static bool IsMatch(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
