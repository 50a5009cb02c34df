using NewsBot.Knowledge;

namespace NewsBot.Tests.Knowledge;

public class SentenceSplitterTests
{
    private static List<string> Split(string text) => SentenceSplitter.Split(text).Select(s => s.Text).ToList();

    [Theory]
    [InlineData("Mr. Smith met Dr. Jones in St. Albans. They talked.", "Mr. Smith met Dr. Jones in St. Albans.", "They talked.")]
    [InlineData("Profits rose to $10.9bn, up 3.5%. Shares fell.", "Profits rose to $10.9bn, up 3.5%.", "Shares fell.")]
    [InlineData("He lives at No. 10 Downing Street. It is old.", "He lives at No. 10 Downing Street.", "It is old.")]
    [InlineData("Tools, e.g. Git, help. Use them.", "Tools, e.g. Git, help.", "Use them.")]
    [InlineData("U.S. officials met U.K. envoys. The talks ended.", "U.S. officials met U.K. envoys.", "The talks ended.")]
    [InlineData("He moved to the U.S. The move was quick.", "He moved to the U.S.", "The move was quick.")]
    [InlineData("J. K. Rowling wrote it. George W. Bush read it.", "J. K. Rowling wrote it.", "George W. Bush read it.")]
    [InlineData("\"We won,\" he said. \"It was hard.\" Fans cheered.", "\"We won,\" he said.", "\"It was hard.\"", "Fans cheered.")]
    [InlineData("Wait... and see. Then... Nothing happened!", "Wait... and see.", "Then...", "Nothing happened!")]
    [InlineData("Why? \"Who knows?\" she asked. Really!", "Why?", "\"Who knows?\" she asked.", "Really!")]
    [InlineData("Visit example.com today. It's free.", "Visit example.com today.", "It's free.")]
    [InlineData("He spoke at the funeral of Malcolm X. Besides Dee, he leaves three children.", "He spoke at the funeral of Malcolm X.", "Besides Dee, he leaves three children.")]
    [InlineData("The film was backed by Warner Bros. But critics were unkind.", "The film was backed by Warner Bros.", "But critics were unkind.")]
    [InlineData("Warner Bros. Pictures made it. Nobody came.", "Warner Bros. Pictures made it.", "Nobody came.")]
    [InlineData("Nominees include Eva Birthistle (Ae Fond Kiss... ). She won.", "Nominees include Eva Birthistle (Ae Fond Kiss... ).", "She won.")]
    [InlineData("\"He is a liar,\" he said. \"[Godzilla] has worked for years.\"", "\"He is a liar,\" he said.", "\"[Godzilla] has worked for years.\"")]
    [InlineData("It cost 5 euros. £10m was raised later.", "It cost 5 euros.", "£10m was raised later.")]
    [InlineData("He managed Hank Williams Jr. He also wrote songs.", "He managed Hank Williams Jr.", "He also wrote songs.")]
    [InlineData("\"The worst acting since Cell Block H.\" Labour disagreed.", "\"The worst acting since Cell Block H.\"", "Labour disagreed.")]
    public void Split_EnglishEdgeCases_KeepsWholeSentences(string text, params string[] expected) =>
        Assert.Equal(expected, Split(text));

    [Fact]
    public void Split_Paragraphs_EndSentencesAndCountParagraphs()
    {
        var sentences = SentenceSplitter.Split("A heading without a dot\n\nFirst one. Second one.\n\nLast one.");

        Assert.Equal(["A heading without a dot", "First one.", "Second one.", "Last one."], sentences.Select(s => s.Text));
        Assert.Equal([0, 1, 1, 2], sentences.Select(s => s.Paragraph));
        Assert.Equal([0, 1, 2, 3], sentences.Select(s => s.Index));
    }

    [Fact]
    public void Split_Chinese_EndsAtFullWidthMarks()
    {
        var sentences = Split("今天北京下雪了。很多人出门拍照！你去了吗？「我没去。」他说");

        Assert.Equal(["今天北京下雪了。", "很多人出门拍照！", "你去了吗？", "「我没去。」", "他说"], sentences);
    }

    [Fact]
    public void Split_Japanese_EndsAtIdeographicFullStop() =>
        Assert.Equal(["東京で地震がありました。", "被害はありません。"], Split("東京で地震がありました。被害はありません。"));
}
