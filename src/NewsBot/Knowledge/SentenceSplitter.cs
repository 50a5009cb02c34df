using System.Collections.Frozen;

namespace NewsBot.Knowledge;

/// <summary>One sentence of a text, with the paragraph it came from.</summary>
public sealed record Sentence(string Text, int Paragraph, int Index);

/// <summary>
/// Splits plain text into sentences. Every line break ends a paragraph. Inside a paragraph a sentence ends at
/// . ! ? or … followed by a space and something that can start a sentence, unless the dot belongs to an
/// abbreviation, an initial or a number; at 。！？ it ends right away, as CJK text puts no space after it.
/// </summary>
public static class SentenceSplitter
{
    // Titles and short forms that are followed by a name or a word, never the end of a sentence.
    private static readonly FrozenSet<string> Titles = (
        "mr mrs ms mx dr prof st mt gen col lt sgt capt cmdr adm gov sen rep rev hon pres supt insp det " +
        "vs v e.g i.e cf approx dept est fig al"
    ).Split(' ').ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // Short forms that often end a sentence too ("... Warner Bros. But ...", "... Hank Williams Jr. He ...").
    private static readonly FrozenSet<string> Suffixes = (
        "inc ltd corp co bros jr sr plc llc etc"
    ).Split(' ').ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // Short forms that stay inside a sentence when a number follows ("No. 10", "Jan. 5", "pp. 4").
    private static readonly FrozenSet<string> BeforeNumber = (
        "no nos nr p pp vol ch art para sec jan feb mar apr jun jul aug sep sept oct nov dec"
    ).Split(' ').ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> SentenceOpeners = (
        "however meanwhile but yet besides although though while since because despite after before during " +
        "last next then now still instead earlier later many most some several both each every"
    ).Split(' ').ToFrozenSet(StringComparer.Ordinal);

    private const string Closers = "\"'”’»)]}」』）】〕〉》";
    private const string Openers = "\"'“‘«([{「『（【〔〈《¿¡";

    public static List<Sentence> Split(string text)
    {
        var sentences = new List<Sentence>();
        var paragraph = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var before = sentences.Count;
            SplitParagraph(line, paragraph, sentences);
            if (sentences.Count > before)
            {
                paragraph++;
            }
        }

        return sentences;
    }

    private static void SplitParagraph(string line, int paragraph, List<Sentence> sentences)
    {
        var start = 0;
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (!IsTerminator(c))
            {
                i++;
                continue;
            }

            var end = i + 1;
            while (end < line.Length && IsTerminator(line[end]))
            {
                end++;
            }

            while (end < line.Length && Closers.Contains(line[end], StringComparison.Ordinal))
            {
                end++;
            }

            if (IsBoundary(line, start, i, end))
            {
                Add(line[start..end], paragraph, sentences);
                start = end;
            }

            i = end;
        }

        if (start < line.Length)
        {
            Add(line[start..], paragraph, sentences);
        }
    }

    private static bool IsTerminator(char c) => c is '.' or '!' or '?' or '…' or '。' or '！' or '？' or '｡' or '．';

    private static bool IsCjkTerminator(char c) => c is '。' or '！' or '？' or '｡' or '．';

    private static bool IsBoundary(string line, int sentenceStart, int terminator, int end)
    {
        if (IsCjkTerminator(line[terminator]) || IsCjkTerminator(line[end - 1]))
        {
            return true;
        }

        if (end >= line.Length)
        {
            return true;
        }

        if (!char.IsWhiteSpace(line[end]))
        {
            // "3.5%", "$10.9bn", "U.S.", "example.com", "!?" inside words; but CJK text may follow an ASCII mark directly.
            return line[terminator] is '!' or '?' && IsUnspacedLetter(line, end);
        }

        var next = end;
        while (next < line.Length && char.IsWhiteSpace(line[next]))
        {
            next++;
        }

        if (next >= line.Length)
        {
            return true;
        }

        var start = next;
        while (start < line.Length - 1 && Openers.Contains(line[start], StringComparison.Ordinal))
        {
            start++;
        }

        // A sentence starts with a capital, a digit, a currency sign or an unspaced-script letter: not with
        // a lower-case word, a comma or a closing bracket ("(Ae Fond Kiss... ).").
        var first = line[start];
        if (char.IsLower(first) || !(char.IsLetterOrDigit(first) || char.IsSymbol(first)))
        {
            return false;
        }

        // Only a bare single dot can belong to an abbreviation; "...", "!", "?" and a dot before a closing quote
        // or bracket ("Cell Block H.\"") end the sentence here.
        if (line[terminator] != '.' || end - terminator > 1)
        {
            return true;
        }

        var word = WordBefore(line, sentenceStart, terminator);
        if (word.Length == 0)
        {
            return true;
        }

        var bare = word.TrimStart(Openers.ToCharArray());
        if (Titles.Contains(bare))
        {
            return false;
        }

        if (BeforeNumber.Contains(bare) && char.IsDigit(first))
        {
            return false;
        }

        // An initial ("J. K. Rowling", "George W. Bush"), a suffix ("Warner Bros.") or a dotted short form
        // ("U.S.", "a.m."): the sentence ends only when a typical sentence opener follows ("Malcolm X. Besides").
        if ((bare.Length == 1 && char.IsUpper(bare[0])) || Suffixes.Contains(bare) || IsDottedAbbreviation(bare))
        {
            return StartsWithSentenceOpener(line, start);
        }

        return true;
    }

    private static bool IsDottedAbbreviation(string word) =>
        word.Contains('.', StringComparison.Ordinal) && word.All(c => char.IsLetter(c) || c == '.');

    private static string WordBefore(string line, int sentenceStart, int terminator)
    {
        var from = terminator;
        while (from > sentenceStart && !char.IsWhiteSpace(line[from - 1]))
        {
            from--;
        }

        return line[from..terminator];
    }

    private static bool StartsWithSentenceOpener(string line, int position)
    {
        var end = position;
        while (end < line.Length && char.IsLetter(line[end]))
        {
            end++;
        }

        var word = line[position..end].ToLowerInvariant();
        return word.Length > 0 && (StopWords.Contains("en", word) || SentenceOpeners.Contains(word));
    }

    private static bool IsUnspacedLetter(string line, int index) =>
        System.Text.Rune.TryGetRuneAt(line, index, out var rune) && TextTokens.IsUnspacedScript(rune);

    private static void Add(string text, int paragraph, List<Sentence> sentences)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > 0)
        {
            sentences.Add(new Sentence(trimmed, paragraph, sentences.Count));
        }
    }
}
