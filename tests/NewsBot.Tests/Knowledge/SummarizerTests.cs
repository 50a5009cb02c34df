using NewsBot.Knowledge;

namespace NewsBot.Tests.Knowledge;

public class SummarizerTests
{
    private const string Article = """
        The city council approved a new tram line on Tuesday after a two-year debate over its cost.

        The line will link the airport with the central station and is expected to carry 40,000 passengers a day. Construction starts in spring.

        Critics said the tram line would cost far more than the council's estimate of £300m. The council said the estimate included a reserve for delays.

        Local shops near the route welcomed the decision. The weather was mild on Tuesday.
        """;

    private readonly Summarizer _summarizer = new();

    [Fact]
    public void Summarize_NewsArticle_ReturnsWholeSentencesInArticleOrder()
    {
        var sentences = SentenceSplitter.Split(Article).Select(s => s.Text).ToList();

        var summary = _summarizer.Summarize(Article, new SummaryOptions { MaxSentences = 3, Title = "Council approves airport tram line" });

        Assert.Equal("en", summary.Language);
        Assert.Equal(3, summary.Sentences.Count);
        Assert.All(summary.Sentences, s => Assert.Contains(s, sentences));
        var positions = summary.Sentences.Select(s => sentences.IndexOf(s)).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.DoesNotContain("The weather was mild on Tuesday.", summary.Sentences);
    }

    [Fact]
    public void Summarize_CentralSentenceRefersBack_DoesNotOpenTheSummary()
    {
        const string text = """
            Rain fell over the city on Monday morning.

            However, the city council approved the new airport tram line after a long debate about the tram line's cost to the city.

            The tram line will link the airport with the central station.

            Critics of the tram line said the council had ignored the cost.
            """;

        var summary = _summarizer.Summarize(text, new SummaryOptions { MaxSentences = 2, Title = "City council approves airport tram line" });

        Assert.NotEmpty(summary.Sentences);
        Assert.False(BackReference.StartsWithBackReference(summary.Sentences[0], summary.Language), summary.Text);
    }

    [Fact]
    public void Summarize_EverySentenceRefersBack_StillSummarises()
    {
        var summary = _summarizer.Summarize("He won the final in five sets. She lost in the first round.", new SummaryOptions { MaxSentences = 1 });

        Assert.Single(summary.Sentences);
    }

    [Fact]
    public void Summarize_MaxCharacters_FitsWholeSentences()
    {
        var summary = _summarizer.Summarize(Article, new SummaryOptions { MaxSentences = 3, MaxCharacters = 200 });

        Assert.InRange(summary.Text.Length, 1, 200);
        Assert.NotEmpty(summary.Sentences);
    }

    [Fact]
    public void Summarize_FirstSentenceLongerThanLimit_CutsAtWordWithEllipsis()
    {
        var summary = _summarizer.Summarize("One two three four five six seven eight nine ten.", new SummaryOptions { MaxSentences = 1, MaxCharacters = 20 });

        Assert.Equal("One two three four…", summary.Text);
    }

    [Fact]
    public void Summarize_ShortText_ReturnsAllSentences()
    {
        var summary = _summarizer.Summarize("Only one sentence here.", new SummaryOptions());

        Assert.Equal(["Only one sentence here."], summary.Sentences);
    }

    [Fact]
    public void Summarize_EmptyText_ReturnsNoSentences() =>
        Assert.Empty(_summarizer.Summarize("  \n\n ", new SummaryOptions()).Sentences);

    [Fact]
    public void Summarize_ChineseArticle_ReturnsWholeSentences()
    {
        const string text = """
            上海市政府周二宣布，将在明年开通一条连接浦东机场和虹桥机场的快速铁路。这条铁路全长约六十八公里，预计每天运送乘客八万人次。

            官员表示，快速铁路建成后，两座机场之间的行程时间将缩短到四十分钟。目前乘坐地铁需要将近两个小时。

            一些市民担心票价过高。市政府说，票价将与现有地铁线路保持一致！今天上海天气晴朗。
            """;
        var sentences = SentenceSplitter.Split(text).Select(s => s.Text).ToList();

        var summary = _summarizer.Summarize(text, new SummaryOptions { MaxSentences = 2, Title = "上海将开通机场快速铁路" });

        Assert.Equal("zh", summary.Language);
        Assert.Equal(7, sentences.Count);
        Assert.Equal(2, summary.Sentences.Count);
        Assert.All(summary.Sentences, s =>
        {
            Assert.Contains(s, sentences);
            Assert.Matches("[。！？]$", s);
        });
        Assert.DoesNotContain(" ", summary.Text, StringComparison.Ordinal);
    }
}
