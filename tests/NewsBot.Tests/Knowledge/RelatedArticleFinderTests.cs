using Microsoft.Extensions.DependencyInjection;
using NewsBot.Knowledge;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Knowledge;

/// <summary>Related articles through the real store and full-text index.</summary>
public sealed class RelatedArticleFinderTests
{
    private static readonly (string Title, string Text)[] Glaciers =
    [
        ("Alpine glaciers retreat faster than forecast", "Glaciologists measured the alpine glaciers again this summer: the ice retreat doubled, meltwater lakes grew and the glacier tongues thinned."),
        ("Meltwater lakes grow below shrinking glaciers", "New meltwater lakes formed where glaciers retreat; glaciologists warn the ice may break the lakes' moraine dams."),
        ("Glacier survey finds thinner ice in the Alps", "The survey of alpine glaciers found thinner ice and faster retreat, glaciologists said, with meltwater rising."),
    ];

    private static readonly (string Title, string Text)[] Others =
    [
        ("Council approves the harbour budget", "The council approved the harbour budget after a long debate about ferry fares and quay repairs."),
        ("Rail strike called off after late talks", "Train drivers called off the strike after talks on pay; rail services run normally from Monday."),
        ("Football club signs a new goalkeeper", "The club signed a goalkeeper from the league champions on a three-year contract."),
        ("Bakery wins the regional bread prize", "A family bakery won the regional prize for its rye bread and sourdough loaves."),
    ];

    [Fact]
    public async Task Find_ArticlesOnTheSameSubject_ReturnsThemOnlyAndNeverItself()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var stored = await StoreAsync(bed, Glaciers.Concat(Others).Select(a => Draft(a.Title, a.Text)).ToArray());

        var related = Finder(bed).Find(stored[0], 5);

        Assert.Equal([Glaciers[2].Title, Glaciers[1].Title], related.Select(r => r.Title).Order(StringComparer.Ordinal));
        Assert.All(related, r => Assert.InRange(r.Similarity, RelatedArticleFinder.MinSimilarity, 1));
    }

    [Fact]
    public async Task Find_NothingSimilarEnough_ReturnsNothing()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var stored = await StoreAsync(bed, Others.Select(a => Draft(a.Title, a.Text)).Append(Draft("Harbour ferry timetable", "Ferry times change.")).ToArray());

        Assert.Empty(Finder(bed).Find(stored[2], 5));
    }

    [Fact]
    public async Task Find_SameStoryOrOtherLanguage_LeftOut()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var first = await StoreAsync(bed, Draft(Glaciers[0].Title, Glaciers[0].Text));
        var sameStory = Draft(Glaciers[1].Title, Glaciers[1].Text);
        sameStory.SameStoryAs = first[0].StoryId;
        var otherLanguage = Draft(Glaciers[2].Title, Glaciers[2].Text, "de");
        await StoreAsync(bed, sameStory, otherLanguage);
        await StoreAsync(bed, Others.Select(a => Draft(a.Title, a.Text)).ToArray());

        Assert.Empty(Finder(bed).Find(first[0], 5));
    }

    [Theory]
    [InlineData("en", "en-GB", true)]
    [InlineData("EN-us", "en", true)]
    [InlineData("de", "de_AT", true)]
    [InlineData("en", "de", false)]
    public void SameLanguage_Tags_ComparesPrimaryLanguage(string language, string other, bool same) =>
        Assert.Equal(same, RelatedArticleFinder.SameLanguage(language, other));

    [Fact]
    public async Task Related_ArchiveLinks_AtMostFiveStrongestFirstWithMarker()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var stored = await StoreAsync(bed, Glaciers.Concat(Others).Select(a => Draft(a.Title, a.Text)).ToArray());

        var reply = ReplyText.Of(await bed.RunAsync("related " + stored[0].ShortId));

        var lines = reply.Split('\n').SkipWhile(line => line != "Related").Skip(1).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.Contains("●", line, StringComparison.Ordinal));
        Assert.DoesNotContain(Others[0].Title, reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_PageLinksThenArchive_DefaultThreeAtMost()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var drafts = Glaciers.Concat(Glaciers).Select((a, i) => Draft(a.Title + " " + i, a.Text)).Concat(Others.Select(a => Draft(a.Title, a.Text))).ToArray();
        drafts[0].Related.Add(new RelatedLink("Ice museum opens in the valley", "https://museum.example/2026/ice-museum-opens"));
        drafts[0].Related.Add(new RelatedLink("Ski lifts close early for lack of snow", "https://museum.example/2026/ski-lifts-close"));
        var stored = await StoreAsync(bed, drafts);

        var post = await bed.Services.GetRequiredService<PostLoader>().CreateAsync(stored[0], null, TestContext.Current.CancellationToken);

        Assert.Equal(3, post.Related.Count);
        Assert.Equal("https://museum.example/2026/ice-museum-opens", post.Related[0].Url);
        Assert.Equal("https://museum.example/2026/ski-lifts-close", post.Related[1].Url);
        Assert.Contains(post.Related[2].Title, drafts.Take(6).Select(d => d.Title));
    }

    [Fact]
    public void Find_LongArticleInABigArchive_CountsFiftyWordsAndReadsFiftyCandidates()
    {
        // 120 distinct words, each held by 80 other articles: the lookup's cost is bounded by what it counts and reads.
        var words = Enumerable.Range(0, 120).Select(i => "word" + (char)('a' + (i / 26)) + (char)('a' + (i % 26))).ToList();
        var article = new Article { Id = 1, DedupKey = "a", Title = "Title", Text = string.Join(' ', words), Language = "en", StoryId = 1 };
        var index = new CountingIndex(words);

        new RelatedArticleFinder(index, TimeProvider.System).Find(article, 5);

        Assert.Equal(50, index.Counted);
        Assert.Equal(50, index.Read);
    }

    /// <summary>An archive where every word is held by 80 articles of its own, each holding all words.</summary>
    private sealed class CountingIndex(List<string> words) : ISimilarityIndex, ISimilarityReader
    {
        public int Counted { get; private set; }

        public int Read { get; private set; }

        public long ArchiveSize => 100_000;

        public ISimilarityReader Open() => this;

        public IReadOnlyList<long> Count(IReadOnlyList<string> asked)
        {
            Counted += asked.Count;
            return asked.Select(_ => 80L).ToList();
        }

        public IReadOnlyList<IReadOnlyList<long>> NewestWith(IReadOnlyList<string> asked, int limit) =>
            asked.Select(word => (IReadOnlyList<long>)Enumerable.Range(0, limit).Select(i => 1000 + (words.IndexOf(word) * 100L) + i).ToList()).ToList();

        public IReadOnlyList<SimilarityDocument> Documents(IReadOnlyCollection<long> ids)
        {
            Read += ids.Count;
            return ids.Select(id => new SimilarityDocument(id, 1, id, "https://x.example/" + id, "Title " + id, null, string.Join(' ', words), "en", DateTimeOffset.UnixEpoch)).ToList();
        }

        public void Dispose()
        {
        }
    }

    private static RelatedArticleFinder Finder(DeliveryTestBed bed) => bed.Services.GetRequiredService<RelatedArticleFinder>();

    private static ArticleDraft Draft(string title, string text, string language = "en") => new()
    {
        Source = new Source { Id = 1, Url = "https://herald.example/feed" },
        DedupKey = title,
        Url = "https://herald.example/" + Uri.EscapeDataString(title),
        Title = title,
        Text = text,
        Language = language,
        FirstSeenAt = DeliveryTestBed.Start,
    };

    private static async Task<IReadOnlyList<Article>> StoreAsync(DeliveryTestBed bed, params ArticleDraft[] drafts)
    {
        var source = (await bed.Services.GetRequiredService<ISourceStore>().ListAsync(TestContext.Current.CancellationToken)).FirstOrDefault() ?? await bed.AddSourceAsync("herald");
        var batch = new IngestBatch(source, drafts.Select(d => (d, (IReadOnlyList<string>)[d.DedupKey])).ToList(), []);
        var stored = (await bed.Services.GetRequiredService<IArticleStore>().IngestAsync(batch, bed.Services.GetRequiredService<IDeliveryPlanner>(), TestContext.Current.CancellationToken)).Stored;
        return stored;
    }
}
