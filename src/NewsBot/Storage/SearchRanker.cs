using System.Globalization;
using System.Text;

namespace NewsBot.Storage;

/// <summary>One wanted term of a query as ranking reads it.</summary>
/// <param name="Tokens">The term's words, folded as the index folds them.</param>
/// <param name="Column">Index of the one column it is limited to, or -1 for all.</param>
internal sealed record RankedTerm(SearchTerm Term, string[] Tokens, int Column, bool Prefix);

/// <summary>A full-text match with what ranking needs of it: the text of each indexed column and its time.</summary>
internal sealed record SearchCandidate(long Id, long SortAt, string?[] Columns);

/// <summary>
/// Ranks full-text matches by BM25 (k1 1.2, b 0.75, the index's column weights: title 10, summary 3, text 1) times
/// a recency factor, 1 / (1 + age in days / 30). It is the formula of FTS5's bm25() (https://www.sqlite.org/fts5.html#the_bm25_function),
/// computed here over the bounded candidate set because bm25() reads every match of every term in the archive to count
/// them, which costs milliseconds per common word; term frequencies come from the candidates' own text and
/// document counts from the engine's index (<see cref="ITermCounts"/>), which stops counting early.
/// </summary>
internal static class SearchRanker
{
    /// <summary>The weights of the indexed columns, in <see cref="SearchField"/> order: title, summary, text.</summary>
    private static readonly double[] Weights = [10.0, 3.0, 1.0];
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const int MaxPhraseTokens = 63;

    /// <summary>The wanted terms of a query (excluded ones never count), tokenized as the index tokenizes them.</summary>
    public static IReadOnlyList<RankedTerm> WantedTerms(TextQuery query) =>
        query.WantedTerms
            .Select(term => new RankedTerm(term, Tokens(CjkBigrams.Expand(term.Text)).Take(MaxPhraseTokens).ToArray(), (int)term.Field - 1, term.Prefix))
            .Where(term => term.Tokens.Length > 0)
            .ToList();

    /// <summary>The best <paramref name="limit"/> candidates, best first.</summary>
    /// <param name="documentFrequencies">Per term (same order), how many articles contain it; null where unknown.</param>
    /// <param name="documents">Articles in the archive.</param>
    /// <param name="nowMs">The current time (Unix ms), for the recency factor.</param>
    public static IReadOnlyList<long> Rank(IReadOnlyList<RankedTerm> terms, IReadOnlyList<SearchCandidate> candidates, IReadOnlyList<long?> documentFrequencies,
        long documents, long nowMs, int limit)
    {
        var idf = InverseDocumentFrequencies(documentFrequencies, documents);
        var frequencies = new double[candidates.Count, terms.Count];
        var lengths = new int[candidates.Count];
        for (var d = 0; d < candidates.Count; d++)
        {
            for (var c = 0; c < Weights.Length; c++)
            {
                lengths[d] += Count(candidates[d].Columns[c], c, terms, frequencies, d);
            }
        }

        var averageLength = Math.Max(1.0, lengths.Average());
        var scored = new List<(long Id, double Score)>(candidates.Count);
        for (var d = 0; d < candidates.Count; d++)
        {
            var score = 0.0;
            for (var t = 0; t < terms.Count; t++)
            {
                var tf = frequencies[d, t];
                score += idf[t] * tf * (K1 + 1) / (tf + (K1 * (1 - B + (B * lengths[d] / averageLength))));
            }

            var ageDays = Math.Max(0.0, (nowMs - candidates[d].SortAt) / 86_400_000.0);
            scored.Add((candidates[d].Id, score / (1.0 + (ageDays / 30.0))));
        }

        return scored.OrderByDescending(s => s.Score).ThenByDescending(s => s.Id).Take(limit).Select(s => s.Id).ToList();
    }

    /// <summary>BM25's IDF, floored as FTS5 does; a term without a count (a prefix still being typed) weighs like the others on average.</summary>
    private static double[] InverseDocumentFrequencies(IReadOnlyList<long?> documentFrequencies, long documents)
    {
        var known = documentFrequencies
            .Select(n => n is { } count ? Math.Max(1e-6, Math.Log((documents - count + 0.5) / (count + 0.5))) : (double?)null)
            .ToList();
        var fallback = known.Any(v => v is not null) ? known.Where(v => v is not null).Average(v => v!.Value) : 1.0;
        return known.Select(v => v ?? fallback).ToArray();
    }

    /// <summary>Adds each term's weighted hits in one column to the candidate's row; returns the column's token count.</summary>
    private static int Count(string? text, int column, IReadOnlyList<RankedTerm> terms, double[,] frequencies, int candidate)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        // Chinese and Japanese runs are counted as the index stores them, in bigrams.
        text = CjkBigrams.Expand(text);
        if (Ascii.IsValid(text) && terms.All(term => term.Tokens.Length == 1))
        {
            return CountAscii(text, column, terms, frequencies, candidate);
        }

        // Shift-And over the token stream: bit j of a term's state says its first j + 1 tokens end here.
        Span<ulong> states = stackalloc ulong[terms.Count];
        var count = 0;
        var i = 0;
        while (NextToken(text, ref i) is var (start, length) && length > 0)
        {
            count++;
            var token = text.AsSpan(start, length);
            var folded = Ascii.IsValid(token) ? null : Fold(token.ToString());
            for (var t = 0; t < terms.Count; t++)
            {
                var term = terms[t];
                if (term.Column >= 0 && term.Column != column)
                {
                    continue;
                }

                var mask = 0UL;
                for (var j = 0; j < term.Tokens.Length; j++)
                {
                    if (Matches(token, folded, term.Tokens[j], term.Prefix && j == term.Tokens.Length - 1))
                    {
                        mask |= 1UL << j;
                    }
                }

                states[t] = ((states[t] << 1) | 1UL) & mask;
                if ((states[t] & (1UL << (term.Tokens.Length - 1))) != 0)
                {
                    frequencies[candidate, t] += Weights[column];
                }
            }
        }

        return count;
    }

    /// <summary>
    /// <see cref="Count"/> for the usual case, ASCII text and single words, at the speed of a vectorised search: each
    /// word is found with IndexOf and kept where it starts (and, unless a prefix, ends) a token.
    /// </summary>
    private static int CountAscii(string text, int column, IReadOnlyList<RankedTerm> terms, double[,] frequencies, int candidate)
    {
        var span = text.AsSpan();
        for (var t = 0; t < terms.Count; t++)
        {
            var term = terms[t];
            if (term.Column >= 0 && term.Column != column)
            {
                continue;
            }

            var wanted = term.Tokens[0];
            for (var at = span.IndexOf(wanted, StringComparison.OrdinalIgnoreCase); at >= 0;)
            {
                var end = at + wanted.Length;
                if ((at == 0 || !IsTokenChar(span[at - 1])) && (term.Prefix || end == span.Length || !IsTokenChar(span[end])))
                {
                    frequencies[candidate, t] += Weights[column];
                }

                var next = span[end..].IndexOf(wanted, StringComparison.OrdinalIgnoreCase);
                at = next < 0 ? -1 : end + next;
            }
        }

        // Words are nearly always one space apart; the count only scales the length normalisation.
        return span.Count(' ') + 1;
    }

    /// <param name="folded">The token folded, or null when it is ASCII (compared ignoring case, which is its folding).</param>
    private static bool Matches(ReadOnlySpan<char> token, string? folded, string wanted, bool prefix)
    {
        if (folded is null)
        {
            return prefix
                ? token.Length >= wanted.Length && token.StartsWith(wanted, StringComparison.OrdinalIgnoreCase)
                : token.Length == wanted.Length && token.Equals(wanted, StringComparison.OrdinalIgnoreCase);
        }

        return prefix ? folded.StartsWith(wanted, StringComparison.Ordinal) : folded.Equals(wanted, StringComparison.Ordinal);
    }

    /// <summary>Words as the index's unicode61 tokenizer sees them: runs of letters, digits and marks.</summary>
    private static IEnumerable<string> Tokens(string text)
    {
        var i = 0;
        while (NextToken(text, ref i) is var (start, length) && length > 0)
        {
            yield return Fold(text.Substring(start, length));
        }
    }

    /// <summary>The next token at or after <paramref name="i"/> (length 0 at the end); moves <paramref name="i"/> past it.</summary>
    private static (int Start, int Length) NextToken(string text, ref int i)
    {
        while (i < text.Length && !IsTokenChar(text[i]))
        {
            i++;
        }

        var start = i;
        while (i < text.Length && IsTokenChar(text[i]))
        {
            i++;
        }

        return (start, i - start);
    }

    private static bool IsTokenChar(char c) =>
        c < 128 ? char.IsAsciiLetterOrDigit(c) : (char.IsLetterOrDigit(c) || char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.PrivateUse);

    /// <summary>Lower case without diacritics, like remove_diacritics 2.</summary>
    public static string Fold(string token)
    {
        if (Ascii.IsValid(token))
        {
            return token.ToLowerInvariant();
        }

        var decomposed = token.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        return builder.ToString().ToLowerInvariant().Normalize(NormalizationForm.FormC);
    }
}
