using NewsBot.Knowledge;

namespace NewsBot.Tests.Knowledge;

public class KeyphraseExtractorTests
{
    private const string Title = "Time Warner profits rise as AOL subscribers fall";
    private const string Text = """
        Time Warner said quarterly profits rose 76% thanks to one-off gains. The company said AOL lost 464,000 subscribers.

        AOL's subscribers fell for the fourth quarter in a row. Time Warner hopes broadband will win subscribers back.

        Analysts said the results were better than expected.
        """;

    /// <summary>A small archive: "profits" is everywhere, "AOL" is rare.</summary>
    private sealed class FixedFrequencies(long documents, Dictionary<string, long> frequencies) : IDocumentFrequencies
    {
        public List<string> Asked { get; } = [];
        public long DocumentCount => documents;

        public long DocumentFrequency(string term)
        {
            Asked.Add(term);
            return frequencies.GetValueOrDefault(term, 1);
        }
    }

    [Fact]
    public void Extract_EmptyArchive_FindsTitlePhrases()
    {
        var phrases = new KeyphraseExtractor(new EmptyDocumentFrequencies()).Extract(Title, Text, 3);

        Assert.Equal(3, phrases.Count);
        Assert.Contains(phrases, p => p.Name == "Time Warner");
        Assert.Contains(phrases, p => p.Name == "AOL");
        Assert.DoesNotContain(phrases, p => p.Name.Equals("said", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Extract_CommonTermInArchive_RanksBelowRareOne()
    {
        var archive = new FixedFrequencies(10_000, new() { ["profit"] = 5_000, ["time warner"] = 3, ["aol"] = 5, ["subscriber"] = 40 });

        var phrases = new KeyphraseExtractor(archive).Extract(Title, Text, 10);

        var plain = new KeyphraseExtractor(new EmptyDocumentFrequencies()).Extract(Title, Text, 10);

        Assert.Equal(["Time Warner", "AOL"], phrases.Take(2).Select(p => p.Name));
        Assert.DoesNotContain(phrases, p => p.Name == "AOL subscribers");
        Assert.True(Relative(phrases, "profits") < Relative(plain, "profits") / 2);
        Assert.All(archive.Asked, term => Assert.Equal(term, term.ToLowerInvariant()));
        Assert.True(archive.Asked.Count <= 30);
    }

    private static double Relative(IReadOnlyList<Keyphrase> phrases, string name) =>
        phrases.Single(p => p.Name == name).Score / phrases[0].Score;

    [Fact]
    public void Extract_OverlappingPhrases_KeepsOnlyTheBest()
    {
        var phrases = new KeyphraseExtractor(new EmptyDocumentFrequencies()).Extract(Title, Text, 5);

        var words = phrases.SelectMany(p => TopicNames.Normalize(p.Name).Key.Split('-')).ToList();
        Assert.Equal(words.Distinct(), words);
        Assert.DoesNotContain(phrases, p => p.Name == "Warner profits rise");
    }

    [Fact]
    public void Extract_ZeroCount_ReturnsNothing() =>
        Assert.Empty(new KeyphraseExtractor(new EmptyDocumentFrequencies()).Extract(Title, Text, 0));
}
