using System.Text;

namespace NewsBot.Knowledge;

/// <summary>A statistical keyphrase: its most common spelling in the article and its TF-IDF score.</summary>
public sealed record Keyphrase(string Name, double Score);

/// <summary>
/// Finds what an article is about without a model: candidates are 1–3-word runs without stop words, seen at least twice, scored by
/// term frequency (title occurrences count extra) times IDF from the archive, longer phrases preferred; a
/// phrase sharing a word with a better one is skipped. Chinese and Japanese, written without spaces, give candidates of
/// 2–6 characters instead (no segmenter: a name repeated in the article is a repeated character run); particles
/// (hiragana, Chinese function characters) break runs as stop words do. Thai yields none.
/// </summary>
public sealed class KeyphraseExtractor(IDocumentFrequencies frequencies)
{
    private const int MaxWords = 3;
    private const double TitleBoost = 3;
    // Only the best candidates by frequency are looked up in the archive: one index query each.
    private const int MaxLookups = 30;
    private const int MinCjkCharacters = 2;
    private const int MaxCjkCharacters = 6;
    // Chinese function characters that are hardly ever part of a name: like stop words, they end a run.
    private const string ChineseFunctionCharacters = "的了和与及是也都而吗呢吧啊这那们";

    public IReadOnlyList<Keyphrase> Extract(string title, string? text, int count, string? language = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        if (count <= 0)
        {
            return [];
        }

        language ??= LanguageDetector.Detect(title + "\n" + text);
        var candidates = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        Collect(title, TitleBoost, language, candidates);
        if (text is not null)
        {
            Collect(text, 1, language, candidates);
        }

        var documents = frequencies.DocumentCount;
        var scored = candidates
            // Said once, even in the title, a phrase is wording rather than a subject.
            .Where(pair => pair.Value.Occurrences >= 2 && (pair.Value.Words == 1 || HasConsistentCase(pair.Value.BestSpelling())))
            .Select(pair => (Key: pair.Key, Candidate: pair.Value, Weight: pair.Value.Frequency * (1 + (0.5 * (pair.Value.Words - 1)))))
            .OrderByDescending(c => c.Weight)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(MaxLookups)
            .Select(c => (c.Key, c.Candidate, Score: c.Weight * Idf(documents, frequencies.DocumentFrequency(c.Key))))
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.Key, StringComparer.Ordinal);

        var chosen = new List<(string Key, Keyphrase Phrase)>();
        foreach (var (key, candidate, score) in scored)
        {
            if (chosen.Any(c => Overlaps(c.Key, key)))
            {
                continue;
            }

            chosen.Add((key, new Keyphrase(candidate.BestSpelling(), score)));
            if (chosen.Count == count)
            {
                break;
            }
        }

        return chosen.Select(c => c.Phrase).ToList();
    }

    // "Time Warner" and "interest rates" name things; "Chief executive Geoff" straddles a name's edge.
    private static bool HasConsistentCase(string phrase)
    {
        var words = phrase.Split(' ').Where(w => char.IsLetter(w[0])).ToList();
        return words.All(w => char.IsUpper(w[0])) || words.All(w => !char.IsUpper(w[0]));
    }

    private static double Idf(long documents, long frequency) =>
        Math.Log((documents + 1.0) / (Math.Min(frequency, documents) + 1.0)) + 1.0;

    // Phrases sharing a word name the same thing ("Time Warner", "Warner profits"): the better one is enough. Character
    // runs have no words: sharing two characters in a row ("人工智能", "智能芯片") is the same overlap.
    private static bool Overlaps(string a, string b) =>
        a.Split(' ').Intersect(b.Split(' '), StringComparer.Ordinal).Any()
        || (IsCjk(a) && Enumerable.Range(0, Math.Max(0, b.Length - 1)).Any(i => a.Contains(b.Substring(i, 2), StringComparison.Ordinal)));

    private static bool IsCjk(string text) => text.EnumerateRunes().Any(IsNameCharacter);

    // Han and katakana; hiragana is mostly grammar (particles, endings), Thai would need real word breaks.
    private static bool IsNameCharacter(Rune rune) =>
        TextTokens.IsUnspacedScript(rune)
        && rune.Value is not ((>= 0x0E00 and <= 0x0E7F) or (>= 0x3040 and <= 0x309F))
        && !ChineseFunctionCharacters.Contains(rune.ToString(), StringComparison.Ordinal);

    private static void Collect(string text, double weight, string? language, Dictionary<string, Candidate> candidates)
    {
        foreach (var sentence in SentenceSplitter.Split(text))
        {
            var run = new List<string>();
            foreach (var word in Words(sentence.Text))
            {
                var lower = word.ToLowerInvariant();
                if (word.Length < 2 || StopWords.Contains(language, lower) || !word.Any(char.IsLetter))
                {
                    AddRun(run, weight, language, candidates);
                    run.Clear();
                }
                else
                {
                    run.Add(word);
                }
            }

            AddRun(run, weight, language, candidates);
            foreach (var characters in CjkRuns(sentence.Text))
            {
                AddCharacterRuns(characters, weight, candidates);
            }
        }
    }

    private static IEnumerable<List<string>> CjkRuns(string sentence)
    {
        var run = new List<string>();
        foreach (var rune in sentence.EnumerateRunes())
        {
            if (IsNameCharacter(rune))
            {
                run.Add(rune.ToString());
            }
            else if (run.Count > 0)
            {
                yield return run;
                run = [];
            }
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }

    // Every 2–6-character stretch is a candidate; a longer one weighs like a phrase of more words.
    private static void AddCharacterRuns(List<string> run, double weight, Dictionary<string, Candidate> candidates)
    {
        for (var start = 0; start < run.Count; start++)
        {
            for (var length = MinCjkCharacters; length <= MaxCjkCharacters && start + length <= run.Count; length++)
            {
                var key = string.Concat(run.GetRange(start, length));
                if (!candidates.TryGetValue(key, out var candidate))
                {
                    candidates[key] = candidate = new Candidate(length - 1);
                }

                candidate.Add(key, weight);
            }
        }
    }

    private static void AddRun(List<string> run, double weight, string? language, Dictionary<string, Candidate> candidates)
    {
        for (var start = 0; start < run.Count; start++)
        {
            for (var length = 1; length <= MaxWords && start + length <= run.Count; length++)
            {
                var words = run.GetRange(start, length);
                var key = string.Join(' ', words.Select(w => Fold(w, language)));
                if (!candidates.TryGetValue(key, out var candidate))
                {
                    candidates[key] = candidate = new Candidate(length);
                }

                candidate.Add(string.Join(' ', words), weight);
            }
        }
    }

    private static string Fold(string word, string? language)
    {
        var lower = word.ToLowerInvariant();
        return language is null or "en" ? EnglishWords.Singular(lower) : lower;
    }

    // Words with their spelling kept; a possessive "'s" is dropped. Unspaced scripts end a run.
    private static IEnumerable<string> Words(string sentence)
    {
        var word = new StringBuilder();
        foreach (var rune in sentence.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune) && !TextTokens.IsUnspacedScript(rune))
            {
                word.Append(rune.ToString());
            }
            else if (rune.Value is '\'' or '\u2019' or '-' && word.Length > 0)
            {
                word.Append((char)rune.Value);
            }
            else
            {
                if (word.Length > 0)
                {
                    yield return Trim(word.ToString());
                }

                word.Clear();
                if (!Rune.IsWhiteSpace(rune))
                {
                    // Punctuation breaks a phrase: an empty word ends the run.
                    yield return "";
                }
            }
        }

        if (word.Length > 0)
        {
            yield return Trim(word.ToString());
        }
    }

    private static string Trim(string word)
    {
        var trimmed = word.TrimEnd('\'', '\u2019', '-');
        return trimmed.EndsWith("'s", StringComparison.Ordinal) || trimmed.EndsWith("\u2019s", StringComparison.Ordinal) ? trimmed[..^2] : trimmed;
    }

    private sealed class Candidate(int words)
    {
        private readonly Dictionary<string, int> _spellings = new(StringComparer.Ordinal);

        public int Words { get; } = words;
        public double Frequency { get; private set; }
        public int Occurrences { get; private set; }
        public bool InTitle { get; private set; }

        public void Add(string spelling, double weight)
        {
            Frequency += weight;
            Occurrences++;
            InTitle |= weight > 1;
            _spellings[spelling] = _spellings.GetValueOrDefault(spelling) + 1;
        }

        // Prefer the spelling seen most often; among equals the capitalised one ("Time Warner" over "time warner").
        public string BestSpelling() => _spellings
            .OrderByDescending(s => s.Value)
            .ThenBy(s => s.Key, StringComparer.Ordinal)
            .First().Key;
    }
}
