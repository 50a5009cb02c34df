using NewsBot.Knowledge;

namespace NewsBot.Tests.Knowledge;

public class BackReferenceTests
{
    [Theory]
    [InlineData("He said the plan would work.", "en")]
    [InlineData("This means the fare will rise.", "en")]
    [InlineData("However, the council disagreed.", "en")]
    [InlineData("But the vote was close.", "en")]
    [InlineData("In addition, two stations will close.", "en")]
    [InlineData("\"It was a shock,\" she said.", "en")]
    [InlineData("It's the third delay this year.", null)]
    [InlineData("Er sagte, der Plan sei gescheitert.", "de")]
    [InlineData("Cependant, le conseil a refusé.", "fr")]
    [InlineData("Sin embargo, el consejo votó en contra.", "es")]
    [InlineData("Однако совет проголосовал против.", "ru")]
    public void StartsWithBackReference_PronounDemonstrativeOrContrast_IsTrue(string sentence, string? language) =>
        Assert.True(BackReference.StartsWithBackReference(sentence, language));

    [Theory]
    [InlineData("The council approved the tram line on Tuesday.", "en")]
    [InlineData("This week the council approved the tram line.", "en")]
    [InlineData("Thousands of people marched in the capital.", "en")]
    [InlineData("Though it rained, the parade went ahead.", "en")]
    [InlineData("Die Stadt hat den Plan gebilligt.", "de")]
    [InlineData("Het kabinet is gevallen.", "nl")]
    [InlineData("Le conseil a approuvé la ligne.", "fr")]
    [InlineData("", "en")]
    public void StartsWithBackReference_SentenceThatStandsAlone_IsFalse(string sentence, string? language) =>
        Assert.False(BackReference.StartsWithBackReference(sentence, language));
}
