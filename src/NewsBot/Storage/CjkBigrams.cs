using System.Text;

namespace NewsBot.Storage;

/// <summary>
/// Chinese and Japanese are written without spaces, so a word tokenizer (SQLite's unicode61, PostgreSQL's simple
/// parser) sees a whole run of Han or kana as one token and a two-character word inside it is never found. Both
/// engines index such runs as overlapping bigrams ("全球气候变化" as "全球 球气 气候 候变 变化"), and write a CJK query
/// the same way, so a query of two or more characters is a phrase of bigrams that matches inside any run.
/// Never change what this returns for a given text: stored indexes were built with it.
/// </summary>
public static class CjkBigrams
{
    /// <summary>The text with every run of two or more CJK characters replaced by its bigrams; other text unchanged.</summary>
    public static string Expand(string text)
    {
        var first = text.AsSpan().IndexOfAnyInRange('\u3040', '\uffef');
        if (first < 0 || !ContainsCjk(text, first))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length * 3);
        builder.Append(text, 0, first);
        var i = first;
        while (i < text.Length)
        {
            if (!IsCjk(text[i]))
            {
                builder.Append(text[i++]);
                continue;
            }

            var start = i;
            while (i < text.Length && IsCjk(text[i]))
            {
                i++;
            }

            builder.Append(' ');
            if (i - start == 1)
            {
                builder.Append(text[start]);
            }
            else
            {
                for (var j = start; j < i - 1; j++)
                {
                    builder.Append(text, j, 2).Append(' ');
                }
            }

            builder.Append(' ');
        }

        return builder.ToString();
    }

    private static bool ContainsCjk(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (IsCjk(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Hiragana, katakana, CJK unified ideographs (with extension A) and compatibility ideographs: scripts written without spaces.</summary>
    private static bool IsCjk(char c) =>
        c is (>= '\u3040' and <= '\u30ff') or (>= '\u3400' and <= '\u4dbf') or (>= '\u4e00' and <= '\u9fff') or (>= '\uf900' and <= '\ufaff');
}
