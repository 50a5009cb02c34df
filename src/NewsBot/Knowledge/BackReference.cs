using System.Collections.Frozen;

namespace NewsBot.Knowledge;

/// <summary>
/// Sentences that open by pointing back at an earlier one: a personal pronoun ("He said…"), a demonstrative
/// ("This means…") or a contrast/continuation word ("However, …", "Also…"). Out of their context they leave the
/// reader asking who or what, so a summary must not open with one or show one without the sentence before it.
/// </summary>
public static class BackReference
{
    // Lower-case openers per language; several words for fixed phrases ("on the other hand"). Articles that double as
    // pronouns or demonstratives (German "die", Dutch "het", Swedish "det") are left out: they open most sentences that stand alone.
    private static readonly FrozenDictionary<string, FrozenSet<string>> Openers = new Dictionary<string, FrozenSet<string>>
    {
        ["en"] = Set("he|she|it|they|him|her|his|its|their|them|this|that|these|those|such|however|but|and|or|yet|so|also|still|" +
            "meanwhile|moreover|furthermore|nevertheless|nonetheless|instead|besides|therefore|thus|hence|then|otherwise|likewise|" +
            "similarly|consequently|indeed|additionally|in addition|on the other hand|as a result|even so|at the same time|" +
            "the former|the latter|in turn|by contrast|in contrast|for that reason|despite this|because of this|after that"),
        ["de"] = Set("er|sie|es|ihm|ihn|ihr|ihre|sein|seine|dies|diese|dieser|dieses|diesem|diesen|dabei|damit|dazu|daher|deshalb|" +
            "deswegen|darum|dennoch|trotzdem|jedoch|aber|und|auch|außerdem|zudem|allerdings|somit|also|stattdessen|ebenso"),
        ["fr"] = Set("il|elle|ils|elles|lui|leur|ce|cet|cette|ces|cela|ceci|ça|celui|celle|ceux|mais|cependant|toutefois|pourtant|" +
            "néanmoins|aussi|donc|ainsi|puis|et|or|en outre|par ailleurs|de plus|en revanche|par conséquent"),
        ["es"] = Set("él|ella|ellos|ellas|le|les|su|sus|este|esta|estos|estas|esto|ese|esa|esos|esas|eso|aquel|aquella|pero|" +
            "sin embargo|además|también|así|entonces|por eso|por lo tanto|no obstante|y|o"),
        ["it"] = Set("lui|lei|egli|ella|essi|esse|loro|questo|questa|questi|queste|quello|quella|quelli|quelle|ciò|ma|però|" +
            "tuttavia|inoltre|anche|quindi|dunque|perciò|invece|e|o"),
        ["pt"] = Set("ele|ela|eles|elas|lhe|seu|sua|este|esta|estes|estas|isto|esse|essa|esses|essas|isso|aquele|aquela|aquilo|" +
            "mas|porém|contudo|entretanto|todavia|além disso|também|assim|portanto|então|e|ou"),
        ["nl"] = Set("hij|zij|ze|hem|haar|hun|dit|deze|dat|maar|echter|ook|toch|daarom|bovendien|dus|daarnaast|en|of"),
        ["sv"] = Set("han|hon|dem|hans|hennes|deras|detta|denna|dessa|men|dock|också|även|därför|dessutom|alltså|och|eller"),
        ["pl"] = Set("on|ona|ono|oni|one|jego|jej|ich|to|ten|ta|te|tego|tej|ale|jednak|także|również|więc|dlatego|ponadto|i|lub"),
        ["tr"] = Set("o|onlar|onu|onun|bu|şu|bunlar|şunlar|ama|fakat|ancak|ayrıca|yine|bu nedenle|bu yüzden|ve|veya"),
        ["ru"] = Set("он|она|оно|они|его|её|ее|их|это|этот|эта|эти|этого|но|однако|также|тоже|поэтому|кроме того|и|а|зато"),
        ["uk"] = Set("він|вона|воно|вони|його|її|їх|це|цей|ця|ці|але|однак|проте|також|тому|крім того|і|й|а"),
    }.ToFrozenDictionary();

    // "This week", "That year": a demonstrative before a time word points at now, not at an earlier sentence.
    private static readonly FrozenSet<string> TimeWords = Set(
        "year|years|week|weeks|month|months|morning|afternoon|evening|night|weekend|season|summer|winter|spring|autumn|fall|" +
        "time|day|days|decade|century|quarter|jahr|woche|monat|morgen|abend|année|semaine|mois|soir|matin|año|semana|mes|" +
        "anno|settimana|mese|ano|mês");

    private const string Quotes = "\"'“‘«„‚‹(—–-";

    /// <summary>True when the sentence opens with a word that refers back, for the given language (English when unknown).</summary>
    public static bool StartsWithBackReference(string sentence, string? language)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        if (!Openers.TryGetValue(language ?? "en", out var openers))
        {
            return false;
        }

        var words = LeadingWords(sentence, 4);
        if (words.Count == 0)
        {
            return false;
        }

        if (words.Count > 1 && TimeWords.Contains(words[1]))
        {
            return false;
        }

        for (var count = words.Count; count >= 1; count--)
        {
            if (openers.Contains(string.Join(' ', words.Take(count))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The sentence's first few words, lower-case, after opening quotes and brackets.</summary>
    private static List<string> LeadingWords(string sentence, int count)
    {
        var words = new List<string>(count);
        var i = 0;
        while (i < sentence.Length && (char.IsWhiteSpace(sentence[i]) || Quotes.Contains(sentence[i], StringComparison.Ordinal)))
        {
            i++;
        }

        while (i < sentence.Length && words.Count < count)
        {
            var start = i;
            while (i < sentence.Length && char.IsLetter(sentence[i]))
            {
                i++;
            }

            if (i == start)
            {
                break;
            }

            words.Add(sentence[start..i].ToLowerInvariant());
            // Only words joined by spaces form a phrase: "However," ends the opener at its comma.
            if (i >= sentence.Length || sentence[i] != ' ')
            {
                break;
            }

            i++;
        }

        return words;
    }

    private static FrozenSet<string> Set(string words) => words.Split('|').ToFrozenSet(StringComparer.Ordinal);
}
