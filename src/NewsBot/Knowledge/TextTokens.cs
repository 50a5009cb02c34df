using System.Buffers;
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
        foreach (var term in EnumerateTerms(text))
        {
            terms.Add(term.ToString());
        }

        return terms;
    }

    /// <summary>
    /// The terms of <see cref="Terms"/> one at a time, each a span valid until the next step: counting them allocates
    /// nothing but the enumerator's pooled buffer (and a string for a word not already in Unicode form C).
    /// </summary>
    public static TermEnumerable EnumerateTerms(string text) => new(text);

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

    /// <summary>A text's terms for foreach; see <see cref="EnumerateTerms"/>.</summary>
    public readonly struct TermEnumerable(string text)
    {
        public TermEnumerator GetEnumerator() => new(text);
    }

    /// <summary>Steps through a text's terms; foreach disposes it, which returns its buffer to the pool.</summary>
    public ref struct TermEnumerator
    {
        private readonly string _text;
        private int _position;
        private char[] _buffer;
        private int _length;
        private bool _unspaced;
        private int _elementStart = -1;
        private ReadOnlySpan<char> _current;

        internal TermEnumerator(string text)
        {
            _text = text;
            _buffer = ArrayPool<char>.Shared.Rent(64);
        }

        public readonly ReadOnlySpan<char> Current => _current;

        public bool MoveNext()
        {
            if (_elementStart >= 0 && NextBigram())
            {
                return true;
            }

            while (_position < _text.Length)
            {
                Rune.DecodeFromUtf16(_text.AsSpan(_position), out var rune, out var consumed);
                if (IsUnspacedScript(rune) != _unspaced && _length > 0)
                {
                    // A change of script ends the word or run before it; this rune is read again on the next step.
                    if (_unspaced ? StartBigrams() : EndWord())
                    {
                        return true;
                    }

                    continue;
                }

                _position += consumed;
                if (IsUnspacedScript(rune))
                {
                    _unspaced = true;
                    Append(rune);
                }
                else if (Rune.IsLetterOrDigit(rune) || (_length > 0 && IsJoiner(rune)))
                {
                    _unspaced = false;
                    Append(Rune.ToLowerInvariant(rune));
                }
                else if (_length > 0 && EndWord())
                {
                    return true;
                }
            }

            return _length > 0 && (_unspaced ? StartBigrams() : EndWord());
        }

        public void Dispose()
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<char>.Shared.Return(_buffer);
                _buffer = [];
            }
        }

        private void Append(Rune rune)
        {
            if (_length + 2 > _buffer.Length)
            {
                var larger = ArrayPool<char>.Shared.Rent(_buffer.Length * 2);
                _buffer.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<char>.Shared.Return(_buffer);
                _buffer = larger;
            }

            _length += rune.EncodeToUtf16(_buffer.AsSpan(_length));
        }

        // "don't", "U.S."-style inner marks stay part of a word only between letters; a trailing one is dropped here.
        private bool EndWord()
        {
            var word = _buffer.AsSpan(0, _length).TrimEnd(['\'', '\u2019']);
            _length = 0;
            // A possessive adds nothing to what a word names.
            if (word.EndsWith("'s", StringComparison.Ordinal) || word.EndsWith("\u2019s", StringComparison.Ordinal))
            {
                word = word[..^2];
            }

            if (word.IsEmpty)
            {
                return false;
            }

            _current = word.IsNormalized(NormalizationForm.FormC) ? word : word.ToString().Normalize(NormalizationForm.FormC);
            return true;
        }

        // A run of an unspaced script gives its overlapping pairs of text elements, or the element alone when it has one.
        private bool StartBigrams()
        {
            _elementStart = 0;
            var first = StringInfo.GetNextTextElementLength(_buffer.AsSpan(0, _length));
            if (first == _length)
            {
                _current = _buffer.AsSpan(0, _length);
                EndRun();
                return true;
            }

            return NextBigram();
        }

        private bool NextBigram()
        {
            var run = _buffer.AsSpan(0, _length);
            var first = StringInfo.GetNextTextElementLength(run[_elementStart..]);
            var second = StringInfo.GetNextTextElementLength(run[(_elementStart + first)..]);
            if (second == 0)
            {
                EndRun();
                return false;
            }

            _current = run.Slice(_elementStart, first + second);
            _elementStart += first;
            return true;
        }

        private void EndRun()
        {
            _elementStart = -1;
            _length = 0;
        }
    }

    private static bool IsJoiner(Rune rune) => rune.Value is '\'' or '\u2019';
}
