using System.Text;

namespace NewsBot.Knowledge;

/// <summary>
/// Guesses the language of a text (ISO 639-1). The script decides first (Han, kana, Hangul, Cyrillic,
/// Arabic, Hebrew, Greek, Thai, Devanagari); Latin-script text is scored against stop-word profiles.
/// Returns null when the text is too short or no profile stands out.
/// </summary>
public static class LanguageDetector
{
    private const int MinLetters = 12;
    // The opening of a text tells its language as well as the whole of it, at a fraction of the cost.
    private const int MaxCharacters = 3000;

    public static string? Detect(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text.Length > MaxCharacters)
        {
            var cut = text.LastIndexOf(' ', MaxCharacters);
            text = text[..(cut > MaxCharacters / 2 ? cut : MaxCharacters)];
        }

        var counts = CountScripts(text);
        var letters = counts.Total;
        if (letters < MinLetters && counts.Han + counts.Kana + counts.Hangul == 0)
        {
            return null;
        }

        // Japanese mixes kana with kanji; a little kana is enough, Chinese never has it.
        if (counts.Kana > 0 && counts.Kana * 10 >= counts.Han + counts.Kana)
        {
            return "ja";
        }

        var (script, count) = counts.Dominant();
        if (count * 2 < letters)
        {
            return null;
        }

        return script switch
        {
            Script.Han => "zh",
            Script.Hangul => "ko",
            Script.Cyrillic => counts.UkrainianLetters > 0 ? "uk" : "ru",
            Script.Arabic => counts.UrduLetters > 0 ? "ur" : counts.PersianLetters > 0 ? "fa" : "ar",
            Script.Hebrew => "he",
            Script.Greek => "el",
            Script.Thai => "th",
            Script.Devanagari => "hi",
            Script.Latin => DetectLatin(text),
            _ => null,
        };
    }

    private static string? DetectLatin(string text)
    {
        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = 0;
        foreach (var term in TextTokens.Terms(text))
        {
            words++;
            foreach (var (language, stopWords) in StopWords.LatinScript)
            {
                if (stopWords.Contains(term))
                {
                    scores[language] = scores.GetValueOrDefault(language) + 1;
                }
            }
        }

        var ranked = scores.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        if (ranked.Count == 0 || ranked[0].Value < 2 || ranked[0].Value * 20 < words)
        {
            return null;
        }

        // A tie between two profiles is no answer.
        return ranked.Count > 1 && ranked[1].Value == ranked[0].Value ? null : ranked[0].Key;
    }

    private enum Script
    {
        Latin,
        Han,
        Kana,
        Hangul,
        Cyrillic,
        Arabic,
        Hebrew,
        Greek,
        Thai,
        Devanagari,
    }

    private static ScriptCounts CountScripts(string text)
    {
        var counts = new ScriptCounts();
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune))
            {
                continue;
            }

            var v = rune.Value;
            counts.Total++;
            switch (v)
            {
                case < 0x0250 or (>= 0x1E00 and <= 0x1EFF):
                    counts.Add(Script.Latin);
                    break;
                case >= 0x0370 and <= 0x03FF:
                    counts.Add(Script.Greek);
                    break;
                case >= 0x0400 and <= 0x052F:
                    counts.Add(Script.Cyrillic);
                    // і ї є ґ exist in Ukrainian and not in Russian.
                    if (v is 0x0456 or 0x0457 or 0x0454 or 0x0491 or 0x0406 or 0x0407 or 0x0404 or 0x0490)
                    {
                        counts.UkrainianLetters++;
                    }

                    break;
                case >= 0x0590 and <= 0x05FF:
                    counts.Add(Script.Hebrew);
                    break;
                case (>= 0x0600 and <= 0x06FF) or (>= 0x0750 and <= 0x077F) or (>= 0xFB50 and <= 0xFEFF):
                    counts.Add(Script.Arabic);
                    // ٹ ڈ ڑ ں ے ھ are Urdu; پ چ ژ گ ک ی are shared by Persian and Urdu, absent from Arabic.
                    if (v is 0x0679 or 0x0688 or 0x0691 or 0x06BA or 0x06D2 or 0x06BE)
                    {
                        counts.UrduLetters++;
                    }
                    else if (v is 0x067E or 0x0686 or 0x0698 or 0x06AF or 0x06A9 or 0x06CC)
                    {
                        counts.PersianLetters++;
                    }

                    break;
                case >= 0x0900 and <= 0x097F:
                    counts.Add(Script.Devanagari);
                    break;
                case >= 0x0E00 and <= 0x0E7F:
                    counts.Add(Script.Thai);
                    break;
                case (>= 0x3040 and <= 0x30FF) or (>= 0xFF66 and <= 0xFF9D):
                    counts.Kana++;
                    counts.Add(Script.Kana);
                    break;
                case (>= 0x1100 and <= 0x11FF) or (>= 0x3130 and <= 0x318F) or (>= 0xAC00 and <= 0xD7AF):
                    counts.Add(Script.Hangul);
                    break;
                case (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x2FA1F):
                    counts.Han++;
                    counts.Add(Script.Han);
                    break;
                default:
                    break;
            }
        }

        return counts;
    }

    private sealed class ScriptCounts
    {
        private readonly int[] _byScript = new int[Enum.GetValues<Script>().Length];

        public int Total { get; set; }
        public int Han { get; set; }
        public int Kana { get; set; }
        public int Hangul => _byScript[(int)Script.Hangul];
        public int UkrainianLetters { get; set; }
        public int UrduLetters { get; set; }
        public int PersianLetters { get; set; }

        public void Add(Script script) => _byScript[(int)script]++;

        public (Script Script, int Count) Dominant()
        {
            var best = 0;
            for (var i = 1; i < _byScript.Length; i++)
            {
                if (_byScript[i] > _byScript[best])
                {
                    best = i;
                }
            }

            return ((Script)best, _byScript[best]);
        }
    }
}
