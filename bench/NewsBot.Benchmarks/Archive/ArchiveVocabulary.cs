using NewsBot.Knowledge;

namespace NewsBot.Benchmarks.Archive;

/// <summary>
/// The words of the synthetic archive, ranked by frequency: English function words first, then common news words,
/// then a long tail of made-up words. Draws follow a Zipf-like law (the word of rank r has weight 1/r), which is
/// what gives the full-text index its real shape: a few terms in nearly every article, most in a handful.
/// </summary>
public sealed class ArchiveVocabulary
{
    private const int TailSize = 60_000;

    // Frequent content words of news headlines; their order stands for their rank among content words.
    private const string NewsWords =
        "government police president minister election court city people company million year week state report " +
        "officials country world market deal plan vote law health school council water energy power price prices " +
        "workers union strike storm rain flood fire climate police bank rates inflation economy budget tax trade " +
        "war peace talks army military attack border security data privacy technology software chip chips phone " +
        "startup investors shares profit loss jobs housing rent transport rail train airport flight road traffic " +
        "hospital doctors patients vaccine virus research university students teachers science space launch " +
        "satellite football match league cup season coach player team final record festival music film art museum " +
        "court judge trial case lawsuit ruling appeal parliament senate congress party leader campaign poll voters " +
        "protest rally crisis emergency drought heat wildfire earthquake coast river bridge farmers food crops " +
        "oil gas solar wind battery electric cars carmaker factory plant exports imports tariffs sanctions summit";

    private static readonly string[] Syllables =
        ["ka", "ro", "mi", "ten", "vel", "dor", "an", "si", "lu", "bre", "to", "gan", "pe", "ris", "ul", "mo",
         "ser", "fa", "nik", "do", "ber", "li", "jen", "ca", "ho", "tra", "ve", "mun", "sa", "gor", "el", "pin"];

    private static readonly string[] Endings = ["ax", "ex", "ix", "ox", "ux"];

    private readonly double[] _cumulative;

    public ArchiveVocabulary()
    {
        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in StopWords.ByLanguage["en"].Order(StringComparer.Ordinal)
                     .Concat(NewsWords.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (seen.Add(word))
            {
                words.Add(word);
            }
        }

        // Deterministic made-up words: the number i written in base 32 with a syllable per digit, closed by an ending
        // with an x (which no syllable has), so that no made-up word is the prefix of another one: prefix searches
        // ("word"*) expand like they do over real language, to a few forms, not to every longer made-up word.
        for (var i = Syllables.Length; words.Count < TailSize; i++)
        {
            var word = "";
            for (var n = i; n > 0; n /= Syllables.Length)
            {
                word += Syllables[n % Syllables.Length];
            }

            word += Endings[i % Endings.Length];

            if (seen.Add(word))
            {
                words.Add(word);
            }
        }

        Words = words;
        _cumulative = new double[words.Count];
        var total = 0.0;
        for (var rank = 0; rank < words.Count; rank++)
        {
            total += 1.0 / (rank + 1);
            _cumulative[rank] = total;
        }

        for (var rank = 0; rank < words.Count; rank++)
        {
            _cumulative[rank] /= total;
        }
    }

    /// <summary>All words, most frequent first.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>Rank of the first content word (after the function words).</summary>
    public int FirstContentRank => StopWords.ByLanguage["en"].Count;

    /// <summary>A word drawn with probability proportional to 1/rank.</summary>
    public string Draw(Random random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble());
        return Words[Math.Min(index < 0 ? ~index : index, Words.Count - 1)];
    }
}
