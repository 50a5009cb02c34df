using System.Globalization;
using System.Text;
using NewsBot.Knowledge;

namespace NewsBot.Tests.Knowledge;

public class TextTokensTests
{
    // Precomposed and decomposed accents, dotted capital I, ß, Han, kana, Thai with its combining vowels, half-width
    // katakana and its sound mark, Hangul, an emoji, a lone surrogate, both apostrophes, digits and punctuation.
    private static readonly string[] Pieces =
    [
        "a", "B", "s", "S", "z", "7", " ", " ", "\n", ".", ",", "-", "'", "\u2019", "'s", "\u2019S", "é", "e\u0301", "İ", "ß", "Ä",
        "東", "京", "日本", "の", "カ", "\u0E01", "\u0E31", "\u0E19", "\uFF76", "\uFF9E", "한", "😀", "\uD800", "\u0301", "\uFE0F", "x".PadRight(70, 'y'),
    ];

    [Theory]
    [InlineData("Don't stop", new[] { "don't", "stop" })]
    [InlineData("Reuters' and the BBC’s view", new[] { "reuters", "and", "the", "bbc", "view" })]
    [InlineData("Cafe\u0301 CAFÉ", new[] { "cafe", "café" })] // a combining mark is not a letter: it ends the word
    [InlineData("東京タワー", new[] { "東京", "京タ", "タワ", "ワー" })]
    [InlineData("東 Tokyo", new[] { "東", "tokyo" })]
    [InlineData("'quoted' -- 2024", new[] { "quoted", "2024" })]
    public void Terms_SplitsFoldsAndPairs(string text, string[] expected) =>
        Assert.Equal(expected, TextTokens.Terms(text));

    [Fact]
    public void EnumerateTerms_GivesTheTermsOfTheStringTokenizer_OnMixedScriptText()
    {
        var random = new Random(14);
        for (var i = 0; i < 5_000; i++)
        {
            var text = new StringBuilder();
            for (var j = random.Next(1, 40); j > 0; j--)
            {
                text.Append(Pieces[random.Next(Pieces.Length)]);
            }

            var enumerated = new List<string>();
            foreach (var term in TextTokens.EnumerateTerms(text.ToString()))
            {
                enumerated.Add(term.ToString());
            }

            Assert.Equal(ReferenceTerms(text.ToString()), enumerated);
        }
    }

    [Fact]
    public void EnumerateTerms_GivesTheTermsOfTheStringTokenizer_OnTheCorpus()
    {
        // BBC articles, extracted pages (Chinese among them) and raw real feeds in many languages and encodings, markup included.
        var files = Directory.EnumerateFiles(TestCorpus.Require("summaries", "bbc"), "*.jsonl")
            .Concat(Directory.EnumerateFiles(TestCorpus.Require("articles", "readability"), "expected.html", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(TestCorpus.Require("feeds", "real"), "*.*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".jsonl", StringComparison.Ordinal)))
            .ToList();
        Assert.True(files.Count > 300, $"{files.Count} corpus files");
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var enumerated = new List<string>();
            foreach (var term in TextTokens.EnumerateTerms(text))
            {
                enumerated.Add(term.ToString());
            }

            var expected = ReferenceTerms(text);
            var mismatch = Enumerable.Range(0, Math.Max(expected.Count, enumerated.Count))
                .FirstOrDefault(i => i >= expected.Count || i >= enumerated.Count || expected[i] != enumerated[i], -1);
            Assert.True(mismatch < 0, $"{file}, term {mismatch}: expected '{expected.ElementAtOrDefault(mismatch)}', got '{enumerated.ElementAtOrDefault(mismatch)}'");
        }
    }

    [Fact]
    public void EnumerateTerms_AWordLongerThanItsFirstBuffer_ComesWhole()
    {
        var word = new string('w', 10_000);
        var terms = new List<string>();
        foreach (var term in TextTokens.EnumerateTerms($"short {word} end"))
        {
            terms.Add(term.ToString());
        }

        Assert.Equal(["short", word, "end"], terms);
    }

    /// <summary>The string-building tokenizer the span one replaced (kept here as the oracle, not in the product).</summary>
    private static List<string> ReferenceTerms(string text)
    {
        var terms = new List<string>();
        var word = new StringBuilder();
        var unspaced = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (TextTokens.IsUnspacedScript(rune))
            {
                FlushWord();
                unspaced.Append(rune.ToString());
                continue;
            }

            FlushUnspaced();
            if (Rune.IsLetterOrDigit(rune) || (word.Length > 0 && rune.Value is '\'' or '\u2019'))
            {
                word.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else
            {
                FlushWord();
            }
        }

        FlushWord();
        FlushUnspaced();
        return terms;

        void FlushWord()
        {
            var value = word.ToString().TrimEnd('\'', '\u2019');
            if (value.EndsWith("'s", StringComparison.Ordinal) || value.EndsWith("\u2019s", StringComparison.Ordinal))
            {
                value = value[..^2];
            }

            if (value.Length > 0)
            {
                terms.Add(value.Normalize(NormalizationForm.FormC));
            }

            word.Clear();
        }

        void FlushUnspaced()
        {
            if (unspaced.Length == 0)
            {
                return;
            }

            var elements = new List<string>();
            var enumerator = StringInfo.GetTextElementEnumerator(unspaced.ToString());
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

            unspaced.Clear();
        }
    }
}
