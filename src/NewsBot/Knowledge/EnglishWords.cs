using System.Collections.Frozen;

namespace NewsBot.Knowledge;

/// <summary>
/// A deliberately small plural folding for English ("agents" → "agent", "stories" → "story"): enough to
/// merge topic names and compare headlines, with exceptions for words whose final s is not a plural.
/// </summary>
public static class EnglishWords
{
    private static readonly FrozenSet<string> KeepAsIs = (
        "news bus gas lens chaos bias plus series species means always perhaps its this thus yes was has does is us " +
        "status virus campus census bonus focus corpus atlas alias canvas iris basis crisis analysis thesis tennis " +
        "diabetes measles mumps aids physics economics politics mathematics ethics athletics analytics graphics " +
        "robotics genetics logistics olympics esports texas paris athens brussels wales whereas across towards " +
        "various previous famous serious nervous anonymous dangerous numerous obvious chess glass class boss less " +
        "unless princess congress access process success business address express press stress mass"
    ).Split(' ').ToFrozenSet(StringComparer.Ordinal);

    // "ies" words that are not "y" plurals.
    private static readonly FrozenSet<string> IesToIe = (
        "movies cookies zombies rookies selfies hippies calories pies ties lies dies aunties goalies smoothies " +
        "brownies freebies newbies genies hoodies"
    ).Split(' ').ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The singular of a lower-case English word; other words come back unchanged.</summary>
    public static string Singular(string word)
    {
        if (word.Length <= 3 || word[^1] != 's' || !IsAsciiLetters(word) || KeepAsIs.Contains(word))
        {
            return word;
        }

        if (word.EndsWith("ies", StringComparison.Ordinal))
        {
            return IesToIe.Contains(word) ? word[..^1] : word[..^3] + "y";
        }

        if (word.EndsWith("sses", StringComparison.Ordinal) || word.EndsWith("ches", StringComparison.Ordinal)
            || word.EndsWith("shes", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal)
            || word.EndsWith("zzes", StringComparison.Ordinal))
        {
            return word[..^2];
        }

        // "ss", "us", "is", "ics": not plurals ("boss", "status", "basis", "politics").
        if (word.EndsWith("ss", StringComparison.Ordinal) || word.EndsWith("us", StringComparison.Ordinal)
            || word.EndsWith("is", StringComparison.Ordinal) || word.EndsWith("ics", StringComparison.Ordinal))
        {
            return word;
        }

        return word[..^1];
    }

    private static bool IsAsciiLetters(string word)
    {
        foreach (var c in word)
        {
            if (c is < 'a' or > 'z')
            {
                return false;
            }
        }

        return true;
    }
}
