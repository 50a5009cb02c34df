using NewsBot.Knowledge;

namespace NewsBot.Tests.Knowledge;

public class TopicNamesTests
{
    [Theory]
    [InlineData("AI Agents", "ai-agent")]
    [InlineData("AI agent", "ai-agent")]
    [InlineData("  ai   AGENTS ", "ai-agent")]
    [InlineData("ＡＩ　Ａｇｅｎｔｓ", "ai-agent")]
    [InlineData("AI_agents!", "ai-agent")]
    [InlineData("News", "news")]
    [InlineData("Bus", "bus")]
    [InlineData("Stories", "story")]
    [InlineData("Policies", "policy")]
    [InlineData("Movies", "movie")]
    [InlineData("Businesses", "business")]
    [InlineData("Politics", "politics")]
    [InlineData("Status", "status")]
    [InlineData("Matches", "match")]
    [InlineData("Tesla's cars", "tesla-car")]
    [InlineData("C++", "c++")]
    [InlineData("C#", "c#")]
    [InlineData("Science & Tech", "science-tech")]
    [InlineData("e-commerce", "e-commerce")]
    [InlineData("人工智能", "人工智能")]
    [InlineData("Искусственный интеллект", "искусственный-интеллект")]
    [InlineData("Café", "café")]
    public void Normalize_Spellings_FoldToKey(string name, string key) =>
        Assert.Equal(key, TopicNames.Normalize(name).Key);

    [Fact]
    public void Normalize_Display_KeepsCaseAndFoldsWhitespace() =>
        Assert.Equal("AI Agents", TopicNames.Normalize("  AI \t Agents ").Display);
}
