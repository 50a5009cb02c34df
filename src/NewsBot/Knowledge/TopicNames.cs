using System.Globalization;
using System.Text;
using NewsBot.Storage;

namespace NewsBot.Knowledge;

/// <summary>
/// Folds the many spellings of a topic into one key: NFKC (full-width → ASCII), case-folded, punctuation and
/// whitespace folded to single hyphens, English plurals made singular ("AI Agents" = "ai agent" → "ai-agent").
/// Non-Latin text stays as it is apart from that folding.
/// </summary>
public static class TopicNames
{
    // Marks that are part of common topic names ("C++", "C#", "AT&T") rather than separators.
    private const string KeptMarks = "+#&";

    /// <summary>
    /// A category written "Last, First" (the New York Times' person keywords: "Mugabe, Grace", "Trump, Donald J") as
    /// the name it is, "Grace Mugabe", so a card listing topics with commas does not show two; "Report, The" becomes
    /// "The Report". Anything else — more commas, lower-case or long parts — is left as it is.
    /// </summary>
    public static string FromCategory(string category)
    {
        ArgumentNullException.ThrowIfNull(category);
        var parts = category.Split(',', StringSplitOptions.TrimEntries);
        return parts is [var last, var first] && IsNamePart(last) && IsNamePart(first) ? $"{first} {last}" : category;
    }

    // One to three words, each starting with an upper-case letter ("Vande Hei", "Donald J.", "The").
    private static bool IsNamePart(string part)
    {
        var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length is >= 1 and <= 3 && words.All(w => char.IsUpper(w[0]) && w.All(c => char.IsLetter(c) || c is '.' or '-' or '\'' or '\u2019'));
    }

    public static TopicName Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var display = string.Join(' ', name.Normalize(NormalizationForm.FormKC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in display.ToLowerInvariant().EnumerateRunes())
        {
            // An apostrophe inside a word ("Tesla's") drops the possessive; elsewhere it separates.
            if (Rune.IsLetterOrDigit(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                || (rune.IsAscii && KeptMarks.Contains((char)rune.Value, StringComparison.Ordinal)))
            {
                word.Append(rune.ToString());
            }
            else if (rune.Value is '\'' or '\u2019' && word.Length > 0)
            {
                word.Append('\'');
            }
            else
            {
                AddWord(word, words);
            }
        }

        AddWord(word, words);
        return new TopicName(string.Join('-', words), display);
    }

    private static void AddWord(StringBuilder word, List<string> words)
    {
        var text = word.ToString();
        word.Clear();
        var apostrophe = text.IndexOf('\'', StringComparison.Ordinal);
        if (apostrophe >= 0)
        {
            text = text.EndsWith("'s", StringComparison.Ordinal) && apostrophe == text.Length - 2 ? text[..^2] : text.Replace("'", "", StringComparison.Ordinal);
        }

        // A lone "&" or "+" between words is a separator, not a word.
        if (text.Any(char.IsLetterOrDigit))
        {
            words.Add(EnglishWords.Singular(text));
        }
    }
}

/// <summary>The store's and the commands' view of <see cref="TopicNames"/>.</summary>
public sealed class TopicNormalizer : ITopicNormalizer
{
    public TopicName Normalize(string name) => TopicNames.Normalize(name);
}
