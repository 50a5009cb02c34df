using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsBot.Knowledge;
using NewsBot.Enrichment;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Tests.Knowledge;

public class EnricherTests
{
    private const string Body = """
        The city council approved a new tram line to the airport on Tuesday after a two-year debate over its cost.

        The tram line will link the airport with the central station and is expected to carry 40,000 passengers a day. Construction starts in spring.

        Critics said the tram line would cost far more than the council's estimate of £300m. The council said the estimate included a reserve for delays.
        """;

    private static ArticleDraft Draft(string? text = Body, string? html = null, string? teaser = null) => new()
    {
        Source = new Source { Url = "https://example.org/feed.xml" },
        DedupKey = "guid-1",
        Title = "Council approves airport tram line",
        Text = text,
        ContentHtml = html,
        Teaser = teaser,
    };

    private static ServiceProvider Services(Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddKnowledge()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    private static async Task<ArticleDraft> EnrichAsync(ArticleDraft draft, Dictionary<string, string?>? settings = null)
    {
        using var services = Services(settings);
        using var scope = services.CreateScope();
        foreach (var enricher in scope.ServiceProvider.GetServices<IArticleEnricher>())
        {
            await enricher.EnrichAsync(draft, TestContext.Current.CancellationToken);
        }

        return draft;
    }

    [Fact]
    public void AddKnowledge_Enrichers_RunSummaryThenTopics()
    {
        using var services = Services();
        using var scope = services.CreateScope();

        Assert.Equal([typeof(SummaryEnricher), typeof(TopicEnricher)], scope.ServiceProvider.GetServices<IArticleEnricher>().Select(e => e.GetType()));
    }

    [Fact]
    public void AddKnowledge_TopicNormalizer_ReplacesEarlierRegistration()
    {
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddSingleton<ITopicNormalizer, UpperCaseNormalizer>()
            .AddKnowledge()
            .BuildServiceProvider();

        Assert.Equal("ai-agent", services.GetRequiredService<ITopicNormalizer>().Normalize("AI Agents").Key);
        Assert.Single(services.GetServices<ITopicNormalizer>());
    }

    private sealed class UpperCaseNormalizer : ITopicNormalizer
    {
        public TopicName Normalize(string name) => new(name.ToUpperInvariant(), name);
    }

    [Fact]
    public async Task EnrichAsync_Text_SetsSummaryLanguageFingerprintAndTopics()
    {
        var draft = Draft();
        draft.Categories.Add("Transport");

        await EnrichAsync(draft, new() { ["NewsBot:Knowledge:Rules:0:Name"] = "Airports", ["NewsBot:Knowledge:Rules:0:Keywords:0"] = "airport", ["NewsBot:Knowledge:MinArchiveForKeyphrases"] = "0" });

        Assert.NotNull(draft.Summary);
        Assert.InRange(draft.Summary.Length, 1, 600);
        Assert.StartsWith("The city council approved", draft.Summary, StringComparison.Ordinal);
        Assert.Equal("en", draft.Language);
        Assert.Equal(StoryFingerprint.Compute(draft.Title, StoryFingerprint.Lead(Body)), draft.Fingerprint);
        Assert.Contains(new TopicTag("Transport", TopicOrigin.Category), draft.Topics);
        Assert.Contains(new TopicTag("Airports", TopicOrigin.Rule), draft.Topics);
        Assert.Contains(draft.Topics, t => t.Origin == TopicOrigin.Keyphrase && t.Name.Contains("tram", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task EnrichAsync_ContentHtmlOnly_SummarisesPlainText()
    {
        var draft = await EnrichAsync(Draft(text: null, html: "<p>First point of the story is here.</p><p>Second point <b>follows</b> now.</p>"));

        Assert.Equal("First point of the story is here. Second point follows now.", draft.Summary);
    }

    [Fact]
    public async Task EnrichAsync_TeaserOnly_UsesTeaser()
    {
        var draft = await EnrichAsync(Draft(text: null, teaser: "A short teaser about the tram."));

        Assert.Equal("A short teaser about the tram.", draft.Summary);
    }

    [Fact]
    public async Task EnrichAsync_NoText_KeepsSummaryEmptyButFingerprintsTitle()
    {
        var draft = await EnrichAsync(Draft(text: null));

        Assert.Null(draft.Summary);
        Assert.Equal(StoryFingerprint.Compute(draft.Title, null), draft.Fingerprint);
    }

    [Fact]
    public async Task EnrichAsync_LastFirstCategories_KeepsEachPersonWhole()
    {
        // Issue 13: NYT person keywords ("Mugabe, Grace") were shown as "Topics: Mugabe, Grace, Zimbabwe": two topics.
        var draft = Draft();
        draft.Topics.Add(new TopicTag("Mugabe, Grace", TopicOrigin.Category));
        draft.Categories.AddRange(["Mugabe, Grace", "Trump, Donald J", "Hechinger Report, The", "Zimbabwe", "Politics and Government"]);

        await EnrichAsync(draft, new() { ["NewsBot:Knowledge:KeyphraseCount"] = "0" });

        Assert.Equal(["Grace Mugabe", "Donald J Trump", "The Hechinger Report", "Zimbabwe", "Politics and Government"], draft.Topics.Select(t => t.Name));
    }

    [Theory]
    [InlineData("Mugabe, Grace", "Grace Mugabe")]
    [InlineData("Vande Hei, Mark", "Mark Vande Hei")]
    [InlineData("Paris, Texas, USA", "Paris, Texas, USA")]
    [InlineData("Climate, and weather", "Climate, and weather")]
    [InlineData("Elections", "Elections")]
    public void FromCategory_OnlyLastFirstNamesAreTurned(string category, string expected) =>
        Assert.Equal(expected, TopicNames.FromCategory(category));

    [Fact]
    public async Task EnrichAsync_DuplicateTopicSpellings_AddsOneTopic()
    {
        var draft = Draft();
        draft.Categories.AddRange(["Trams", "tram", "  "]);

        await EnrichAsync(draft, new() { ["NewsBot:Knowledge:KeyphraseCount"] = "0" });

        Assert.Equal([new TopicTag("Trams", TopicOrigin.Category)], draft.Topics);
    }

    [Theory]
    [InlineData("NewsBot:Knowledge:SummarySentences", "0", "NewsBot:Knowledge:SummarySentences")]
    [InlineData("NewsBot:Knowledge:MaxSummaryCharacters", "10", "NewsBot:Knowledge:MaxSummaryCharacters")]
    [InlineData("NewsBot:Knowledge:Rules:0:Pattern", "(unclosed", "NewsBot:Knowledge:Rules:0:Pattern")]
    [InlineData("NewsBot:Knowledge:Rules:0:Keywords:0", "", "NewsBot:Knowledge:Rules:0:Name")]
    public void AddKnowledge_InvalidSetting_FailsOnStartNamingTheSetting(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (!key.EndsWith(":Name", StringComparison.Ordinal) && key.Contains(":Rules:", StringComparison.Ordinal) && !key.Contains("Keywords", StringComparison.Ordinal))
        {
            settings["NewsBot:Knowledge:Rules:0:Name"] = "Broken";
        }

        using var services = Services(settings);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
