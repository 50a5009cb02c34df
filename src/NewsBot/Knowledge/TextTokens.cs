using System.Globalization;
using System.Text;

namespace NewsBot.Knowledge;

/// <summary>
/// Splits text into lower-case terms for comparing and counting. Scripts written without spaces
/// (Han, kana, Thai) become overlapping character bigrams, which work without a dictionary.
/// </summary>
public static class TextTokens
{
    /// <summary>All terms of the text in order, lower-cased; no stop-word removal.</summary>
    public static List<string> Terms(string text)
    {
        var terms = new List<string>();
        var word = new StringBuilder();
        var unspaced = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsUnspacedScript(rune))
            {
                Flush(word, terms);
                Append(unspaced, rune);
                continue;
            }

            FlushUnspaced(unspaced, terms);
            if (Rune.IsLetterOrDigit(rune) || (word.Length > 0 && IsJoiner(rune)))
            {
                Append(word, Rune.ToLowerInvariant(rune));
            }
            else
            {
                Flush(word, terms);
            }
        }

        Flush(word, terms);
        FlushUnspaced(unspaced, terms);
        return terms;
    }

    /// <summary>Terms without stop words and with English plurals folded: what a text is about.</summary>
    public static List<string> ContentTerms(string text, string? language)
    {
        var terms = Terms(text);
        var content = new List<string>(terms.Count);
        foreach (var term in terms)
        {
            if (term.Length > 1 && !StopWords.Contains(language, term))
            {
                content.Add(language is null or "en" ? EnglishWords.Singular(term) : term);
            }
        }

        return content;
    }

    /// <summary>Han, Hiragana, Katakana and Thai: scripts that do not separate words with spaces.</summary>
    public static bool IsUnspacedScript(Rune rune)
    {
        var v = rune.Value;
        return v is (>= 0x3040 and <= 0x30FF) // Hiragana, Katakana
            or (>= 0x3400 and <= 0x4DBF) // CJK extension A
            or (>= 0x4E00 and <= 0x9FFF) // CJK unified ideographs
            or (>= 0xF900 and <= 0xFAFF) // CJK compatibility ideographs
            or (>= 0x20000 and <= 0x2FA1F) // CJK extensions B and later
            or (>= 0x0E00 and <= 0x0E7F) // Thai
            or (>= 0xFF66 and <= 0xFF9D); // half-width Katakana
    }

    private static void Append(StringBuilder builder, Rune rune)
    {
        Span<char> buffer = stackalloc char[2];
        builder.Append(buffer[..rune.EncodeToUtf16(buffer)]);
    }

    // "don't", "U.S."-style inner marks stay part of a word only between letters; a trailing one is dropped in Flush.
    private static bool IsJoiner(Rune rune) => rune.Value is '\'' or '\u2019';

    private static void Flush(StringBuilder word, List<string> terms)
    {
        if (word.Length == 0)
        {
            return;
        }

        var text = word.ToString().TrimEnd('\'', '\u2019');
        // A possessive adds nothing to what a word names.
        if (text.EndsWith("'s", StringComparison.Ordinal) || text.EndsWith("\u2019s", StringComparison.Ordinal))
        {
            text = text[..^2];
        }

        if (text.Length > 0)
        {
            terms.Add(text.Normalize(NormalizationForm.FormC));
        }

        word.Clear();
    }

    private static void FlushUnspaced(StringBuilder run, List<string> terms)
    {
        if (run.Length == 0)
        {
            return;
        }

        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(run.ToString());
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        if (elements.Count == 1)
        {
            terms.Add(elements[0]);
        }

        for (var i = 0; i + 1 < elements.Count; i++)
        {
            terms.Add(elements[i] + elements[i + 1]);
        }

        run.Clear();
    }
}
