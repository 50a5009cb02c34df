using System.Text;

namespace NewsBot.Knowledge;

/// <summary>
/// Turns whatever a user types into a safe SQLite FTS5 MATCH expression. Every term becomes a quoted string
/// (so *, ^, :, parentheses, NEAR and stray quotes are just text), "quoted phrases" stay phrases, OR between
/// terms and -term / NOT term are honoured, and the last word (or an unclosed phrase) is a prefix match while it is being typed.
/// See https://www.sqlite.org/fts5.html#full_text_query_syntax.
/// </summary>
public static class SearchQuery
{
    private const int MinPrefixLength = 2;
    private const int MaxTerms = 32;

    /// <param name="userInput">Anything, including hostile or unbalanced syntax.</param>
    /// <param name="columns">Column names a "column:term" prefix may name (e.g. title); other prefixes are searched as text.</param>
    /// <returns>The expression, or null when the input has nothing to search for.</returns>
    public static string? ToFts5Match(string? userInput, IReadOnlyCollection<string>? columns = null)
    {
        if (string.IsNullOrWhiteSpace(userInput))
        {
            return null;
        }

        var chunks = Chunks(userInput, columns ?? []);
        var groups = new List<List<string>>();
        var excluded = new List<string>();
        var orPending = false;
        var notPending = false;
        for (var i = 0; i < chunks.Count && groups.Count + excluded.Count < MaxTerms; i++)
        {
            var chunk = chunks[i];
            if (!chunk.Quoted && chunk.Column is null)
            {
                switch (chunk.Text)
                {
                    case "OR":
                        orPending = groups.Count > 0;
                        continue;
                    case "AND":
                        continue;
                    case "NOT":
                        notPending = true;
                        continue;
                    default:
                        break;
                }
            }

            var text = chunk.Quoted ? chunk.Text : TrimToWord(chunk.Text);
            if (!text.Any(char.IsLetterOrDigit))
            {
                continue;
            }

            var isLast = i == chunks.Count - 1;
            var prefix = isLast && !chunk.Closed && text.Length >= MinPrefixLength && char.IsLetterOrDigit(text[^1]);
            var term = (chunk.Column is null ? "" : chunk.Column + " : ") + Quote(text) + (prefix ? "*" : "");
            if (notPending || chunk.Negated)
            {
                excluded.Add(term);
            }
            else if (orPending)
            {
                groups[^1].Add(term);
            }
            else
            {
                groups.Add([term]);
            }

            orPending = false;
            notPending = false;
        }

        if (groups.Count == 0)
        {
            // FTS5 has no "everything except": a query of exclusions alone searches for nothing.
            return null;
        }

        var included = string.Join(" AND ", groups.Select(g => g.Count == 1 ? g[0] : "(" + string.Join(" OR ", g) + ")"));
        return excluded.Count == 0 ? included : $"({included}) NOT ({string.Join(" OR ", excluded)})";
    }

    private sealed record Chunk(string Text, bool Quoted, bool Negated, string? Column, bool Closed);

    private static List<Chunk> Chunks(string input, IReadOnlyCollection<string> columns)
    {
        var chunks = new List<Chunk>();
        string? pendingColumn = null;
        var pendingNegation = false;
        var i = 0;
        while (i < input.Length)
        {
            if (char.IsWhiteSpace(input[i]) || char.IsControl(input[i]))
            {
                i++;
                continue;
            }

            if (input[i] == '"')
            {
                var close = input.IndexOf('"', i + 1);
                var end = close < 0 ? input.Length : close;
                chunks.Add(new Chunk(Clean(input[(i + 1)..end]), true, pendingNegation, pendingColumn, close >= 0));
                pendingColumn = null;
                pendingNegation = false;
                i = end + 1;
                continue;
            }

            var start = i;
            while (i < input.Length && !char.IsWhiteSpace(input[i]) && input[i] != '"')
            {
                i++;
            }

            var word = input[start..i];
            var negated = pendingNegation || word.Length > 1 && word[0] == '-';
            if (word.Length > 1 && word[0] == '-')
            {
                word = word[1..];
            }

            var colon = word.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && columns.FirstOrDefault(c => c.Equals(word[..colon], StringComparison.OrdinalIgnoreCase)) is { } column)
            {
                word = word[(colon + 1)..];
                if (word.Length == 0)
                {
                    // "title:" followed by a "quoted phrase".
                    pendingColumn = column;
                    pendingNegation = negated;
                    continue;
                }

                chunks.Add(new Chunk(Clean(word), false, negated, column, i < input.Length));
            }
            else
            {
                chunks.Add(new Chunk(Clean(word), false, negated, pendingColumn, i < input.Length));
            }

            pendingColumn = null;
            pendingNegation = false;
        }

        return chunks;
    }

    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }

    // "(climate" and "change)*" are the words climate and change; inner marks ("U.S.", "C++") stay for the tokenizer.
    private static string TrimToWord(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && !char.IsLetterOrDigit(text[start]))
        {
            start++;
        }

        while (end > start && !char.IsLetterOrDigit(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
