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
    public void Extract_Urdu_LeavesOutUrduStopWords()
    {
        // Issue 13: Urdu had no stop-word list (English was used), so its commonest particles became keyphrases.
        const string title = "کراچی میں بارش کے بعد سیلاب";
        const string text = """
            کراچی میں شدید بارش کے بعد سیلاب آ گیا ہے اور شہر کے کئی علاقے پانی میں ڈوب گئے ہیں۔
            حکام کا کہنا ہے کہ سیلاب سے متاثرہ علاقوں میں امدادی کام جاری ہے اور کراچی کے شہریوں کو گھروں میں رہنے کی ہدایت کی گئی ہے۔
            محکمہ موسمیات کے مطابق کراچی میں مزید بارش کا امکان ہے۔
            """;

        var phrases = new KeyphraseExtractor(new EmptyDocumentFrequencies()).Extract(title, text, 5, "ur");

        Assert.NotEmpty(phrases);
        Assert.All(phrases, p => Assert.DoesNotContain(p.Name.Split(' '), word => StopWords.Contains("ur", word)));
        Assert.Contains(phrases, p => p.Name.Contains("کراچی", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Москва и Киев: переговоры о мире", "ru")]
    [InlineData("Київ і Львів: переговори про мир", "uk")]
    [InlineData("کراچی میں بارش کے بعد سیلاب", "ur")]
    [InlineData("تهران در برابر سیل", "fa")]
    [InlineData("القاهرة في مواجهة الفيضانات", "ar")]
    [InlineData("ירושלים של זהב", "he")]
    [InlineData("Η Αθήνα και η Θεσσαλονίκη", "el")]
    [InlineData("दिल्ली में बारिश के बाद बाढ़", "hi")]
    [InlineData("서울의 날씨", "ko")]
    [InlineData("東京の天気は晴れです", "ja")]
    [InlineData("北京的天气很好", "zh")]
    [InlineData("กรุงเทพมหานครและเชียงใหม่", "th")]
    public void StopWords_EveryDetectedLanguage_HasAList(string sample, string language)
    {
        Assert.Equal(language, LanguageDetector.Detect(sample));
        Assert.True(StopWords.ByLanguage.ContainsKey(language));
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

    [Theory]
    [InlineData("人工智能芯片需求大增", "今年人工智能芯片的订单继续增加。多家厂商表示，人工智能芯片已经供不应求。分析人士预计，明年人工智能芯片市场还会扩大。", "人工智能芯片")]
    [InlineData("東京で新型電池の工場が完成", "新型電池の工場は来月から生産を始める。新型電池は電気自動車に使われる。", "新型電池")]
    public void Extract_ChineseOrJapanese_FindsTheRepeatedCharacterRun(string title, string text, string expected)
    {
        var phrases = new KeyphraseExtractor(new EmptyDocumentFrequencies()).Extract(title, text, 3);

        Assert.Equal(expected, phrases[0].Name);
        // Its own pieces ("智能", "芯片") are the same subject, and particles ("の") are wording.
        Assert.DoesNotContain(phrases.Skip(1), p => expected.Contains(p.Name[..2], StringComparison.Ordinal));
        Assert.DoesNotContain(phrases, p => p.Name.Contains('的', StringComparison.Ordinal) || p.Name.Contains('の', StringComparison.Ordinal));
    }

    [Fact]
    public void Extract_ChineseWithArchiveCounts_CommonRunRanksBelowRareOne()
    {
        const string title = "台风来袭 沿海航班取消";
        const string text = "台风今晚登陆。受台风影响，沿海航班停飞。台风带来暴雨，台风中心附近风力很强，台风路径还在变化，台风预警已经发布。台风过后航班恢复，市民关注台风动向。";
        var archive = new FixedFrequencies(10_000, new() { ["台风"] = 4_000, ["沿海航班"] = 3 });

        var plain = new KeyphraseExtractor(new EmptyDocumentFrequencies()).Extract(title, text, 2);
        var phrases = new KeyphraseExtractor(archive).Extract(title, text, 2);

        Assert.Equal(["台风", "沿海航班"], plain.Select(p => p.Name));
        Assert.Equal(["沿海航班", "台风"], phrases.Select(p => p.Name));
    }
}
