using System.Text;
using NewsBot.Storage;

namespace NewsBot.Knowledge;

/// <summary>
/// Turns whatever a user types into a <see cref="TextQuery"/>: words, "quoted phrases", OR between terms, -term / NOT
/// term, title:/summary:/text: limits, and the last word (or an unclosed phrase) as a prefix while it is being typed.
/// Query-language marks (*, ^, parentheses, NEAR, stray quotes) are just text: each engine quotes every term.
/// </summary>
public static class SearchQuery
{
    private const int MinPrefixLength = 2;
    private const int MaxTerms = 32;

    /// <summary>The fields a "field:term" prefix may name; other prefixes are searched as text.</summary>
    private static readonly Dictionary<string, SearchField> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["title"] = SearchField.Title,
        ["summary"] = SearchField.Summary,
        ["text"] = SearchField.Text,
    };

    /// <param name="userInput">Anything, including hostile or unbalanced syntax.</param>
    /// <returns>The query, or null when the input has nothing to search for.</returns>
    public static TextQuery? Parse(string? userInput)
    {
        if (string.IsNullOrWhiteSpace(userInput))
        {
            return null;
        }

        var chunks = Chunks(userInput);
        var groups = new List<List<SearchTerm>>();
        var excluded = new List<SearchTerm>();
        var orPending = false;
        var notPending = false;
        for (var i = 0; i < chunks.Count && groups.Count + excluded.Count < MaxTerms; i++)
        {
            var chunk = chunks[i];
            if (!chunk.Quoted && chunk.Field == SearchField.Any)
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
            var term = new SearchTerm(text, chunk.Field, prefix);
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
            // A full-text index has no "everything except": a query of exclusions alone searches for nothing.
            return null;
        }

        return new TextQuery(groups, excluded);
    }

    private sealed record Chunk(string Text, bool Quoted, bool Negated, SearchField Field, bool Closed);

    private static List<Chunk> Chunks(string input)
    {
        var chunks = new List<Chunk>();
        var pendingField = SearchField.Any;
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
                chunks.Add(new Chunk(Clean(input[(i + 1)..end]), true, pendingNegation, pendingField, close >= 0));
                pendingField = SearchField.Any;
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
            if (colon > 0 && Fields.TryGetValue(word[..colon], out var field))
            {
                word = word[(colon + 1)..];
                if (word.Length == 0)
                {
                    // "title:" followed by a "quoted phrase".
                    pendingField = field;
                    pendingNegation = negated;
                    continue;
                }

                chunks.Add(new Chunk(Clean(word), false, negated, field, i < input.Length));
            }
            else
            {
                chunks.Add(new Chunk(Clean(word), false, negated, pendingField, i < input.Length));
            }

            pendingField = SearchField.Any;
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
}
