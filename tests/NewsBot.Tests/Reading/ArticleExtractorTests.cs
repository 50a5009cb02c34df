using System.Diagnostics;
using System.Text;
using NewsBot.Benchmarks.Reading;
using NewsBot.Reading;

namespace NewsBot.Tests.Reading;

public sealed class ArticleExtractorTests
{
    private static readonly Uri PageUrl = new("https://news.example/2026/05/story.html");

    private static ExtractedArticle Extract(string testData, Uri? pageUrl = null) =>
        new ArticleExtractor().Extract(ReadingFiles.TestData(testData), pageUrl ?? PageUrl);

    [Fact]
    public void Extract_PageWithBoilerplate_KeepsOnlyArticleText()
    {
        var article = Extract("boilerplate.html");

        Assert.Equal(
            [
                "The harbour ferry between Northpoint and the island resumed service on Monday after eleven weeks in dry dock, where engineers replaced both propeller shafts and refitted the passenger deck.",
                "The first crossing left at seven in the morning with forty passengers, most of them islanders who had relied on a smaller water taxi during the repairs, paying twice the usual fare.",
                "The operator said the timetable would return to twelve crossings a day from next week, with an extra late sailing on Fridays and Saturdays throughout the summer season.",
                "Accessible boarding",
                "A new ramp now lets wheelchair users and people with prams board without help from the crew, a change campaigners had requested for more than five years.",
            ],
            article.Paragraphs);
        Assert.Equal(string.Join("\n\n", article.Paragraphs), article.Text);
    }

    [Theory]
    [InlineData("i", NestedPages.Closing.All)]
    [InlineData("div", NestedPages.Closing.All)]
    [InlineData("b", NestedPages.Closing.All)]
    [InlineData("font", NestedPages.Closing.None)]
    [InlineData("a", NestedPages.Closing.Last)]
    public void Extract_HundredThousandNestedTags_FinishesInBoundedTimeWithTheText(string tag, NestedPages.Closing closing)
    {
        var html = NestedPages.Create(tag, 100_000, closing);
        var extractor = new ArticleExtractor();
        // The first run over a page this size mostly measures the JIT compiling and re-compiling the parser's hot paths.
        extractor.Extract(html, PageUrl);

        // The best of three: other tests and processes on the machine only ever add to a run, never take away.
        var runs = Enumerable.Range(0, 3).Select(_ =>
        {
            var stopwatch = Stopwatch.StartNew();
            var article = extractor.Extract(html, PageUrl);
            return (stopwatch.Elapsed, article);
        }).ToList();
        var best = runs.Min(run => run.Elapsed);

        TestContext.Current.TestOutputHelper?.WriteLine($"{html.Length:N0} characters of <{tag}>: {best.TotalMilliseconds:F0} ms");
        Assert.All(runs, run => Assert.Contains(NestedPages.Text, run.article.Paragraphs));
        // Unbounded, 100,000 levels take tens of seconds to minutes; bounded, milliseconds (links: a few hundred).
        Assert.InRange(best, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Extract_RepeatedParagraphs_KeepsEachOnceInOrder()
    {
        var article = Extract("duplicate-paragraph.html");

        Assert.Equal(3, article.Paragraphs.Count);
        Assert.StartsWith("Work on the market hall roof", article.Paragraphs[0], StringComparison.Ordinal);
        Assert.StartsWith("Traders will move", article.Paragraphs[1], StringComparison.Ordinal);
        Assert.StartsWith("The hall was built in 1889", article.Paragraphs[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_LongFormPage_KeepsPullQuoteSectionHeadingAndRepeatedSteps()
    {
        var article = Extract("long-form.html");

        Assert.Equal(
            [
                "Orchids need fresh bark every two years, when the old mix breaks down and holds too much water around the roots.",
                "Water the plant the day before, so the roots bend instead of snapping when you lift it out of the old pot.",
                "Never bury the crown of the plant: water that gathers there rots it within a week.",
                "Aftercare",
                "Keep the plant out of direct sun for a week and water it sparingly, once the bark has dried out on the surface.",
                "Repeat the soak every week.",
                "Repeat the soak every week.",
            ],
            article.Paragraphs);
    }

    [Fact]
    public void Extract_ChinesePage_FindsTextRelatedAndTopics()
    {
        var article = Extract("cjk.html");

        Assert.Equal(4, article.Paragraphs.Count);
        Assert.StartsWith("市园林局昨天宣布", article.Paragraphs[0], StringComparison.Ordinal);
        Assert.DoesNotContain("首页", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("版权所有", article.Text, StringComparison.Ordinal);
        Assert.Equal("zh-CN", article.Language);
        Assert.Equal(
            [
                new("滨江自行车道全线贯通", "https://news.example/city/2026/riverside-cycle-path.html"),
                new Model.RelatedLink("老桥维修工程顺利完工", "https://news.example/city/2026/old-bridge-repair.html"),
            ],
            article.Related);
        Assert.Equal(["城市建设", "公园"], article.TopicCandidates);
    }

    [Theory]
    [InlineData("related-de.html", "Neue Buslinie verbindet Altstadt und Bahnhof ab Dezember")]
    [InlineData("related-fr.html", "Une nouvelle ligne de bus relie la vieille ville à la gare")]
    [InlineData("related-es.html", "Una nueva línea de autobús une el casco antiguo con la estación")]
    [InlineData("related-pt.html", "Nova linha de ônibus liga o centro histórico à estação")]
    public void Extract_RelatedHeadingInLanguage_FindsArticleLinksOnly(string testData, string firstTitle)
    {
        var article = Extract(testData);

        Assert.Equal(2, article.Related.Count);
        Assert.Equal(new Model.RelatedLink(firstTitle, "https://news.example/news/2026/bus-line.html?id=7"), article.Related[0]);
        Assert.Equal("https://other.example/2026/cycle-lanes", article.Related[1].Url);
        Assert.DoesNotContain(article.Related[1].Title, article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_RelatedMarkupVariants_FindsRelAttributeClassAndAsideLinks()
    {
        var article = Extract("related-markup.html", new Uri("https://news.example/2026/bridge-opens.html?utm_source=feed"));

        Assert.Equal(
            [
                "https://news.example/2026/bridge-closure-explained.html",
                "https://news.example/2026/canal-towpath-resurfaced.html",
                "https://news.example/2026/05/market-moves-to-the-quay.html",
                "https://news.example/2026/05/new-rowing-club-boathouse.html",
            ],
            article.Related.Select(link => link.Url));
        Assert.Equal("Why the old canal bridge had to close", article.Related[0].Title);
    }

    [Fact]
    public void Extract_JsonLdGraph_ReadsMetadata()
    {
        var article = Extract("metadata-jsonld.html", new Uri("https://valley.example/news/festival"));

        Assert.Equal("Orchard harvest festival draws record crowd", article.Title);
        Assert.Equal("Ana Ribeiro, Luis Costa", article.Byline);
        Assert.Equal(new DateTimeOffset(2026, 9, 14, 21, 5, 0, TimeSpan.Zero), article.Published);
        Assert.Equal(TimeSpan.Zero, article.Published!.Value.Offset);
        Assert.Equal("https://valley.example/media/festival.jpg", article.ImageUrl);
        Assert.Equal("pt-BR", article.Language);
        Assert.Equal(["More than twelve thousand people visited the orchard harvest festival over the weekend, the organisers said."], article.Paragraphs);
    }

    [Theory]
    [InlineData("<meta property=\"og:image\" content=\"https://stats.wordpress.com/b.gif\"><meta name=\"twitter:image\" content=\"/img/lead.jpg\">", "https://page.example/img/lead.jpg")]
    [InlineData("<meta property=\"og:image\" content=\"https://page.example/og.jpg\"><meta property=\"og:image:width\" content=\"1\">"
        + "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \"image\": [\"https://page.example/ld.jpg\"]}</script>", "https://page.example/ld.jpg")]
    [InlineData("<meta property=\"og:image\" content=\"https://page.example/favicon.ico\">", null)]
    public void Extract_PageImage_FirstUsablePicture(string head, string? expected)
    {
        var article = new ArticleExtractor().Extract($"<html><head>{head}</head><body><article><p>Text of the story.</p></article></body></html>", new Uri("https://page.example/news/a.html"));

        Assert.Equal(expected, article.ImageUrl);
    }

    [Fact]
    public void Extract_RelativeUrls_ResolvesAgainstPageUrl()
    {
        var article = Extract("relative-urls.html", new Uri("https://city.example/news/2026/tram-depot.html"));

        Assert.Equal("https://city.example/news/images/depot.png", article.ImageUrl);
        Assert.Equal("https://city.example/news/2026/tram-depot.html?utm_medium=rss", article.CanonicalUrl);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), article.Published);
        var related = Assert.Single(article.Related);
        Assert.Equal(new Model.RelatedLink("Tram extension to the hospital approved", "https://city.example/news/2026/tram-extension-approved.html"), related);
        Assert.Equal(["Trams", "Planning"], article.TopicCandidates);
        Assert.DoesNotContain("Topics:", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_BytesWithLegacyCharset_DecodesByContentType()
    {
        var html = "<html><body><article><p>Le café de la gare rouvre après trois mois de travaux, au grand plaisir des voyageurs du matin.</p></article></body></html>";
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding("windows-1252")!.GetBytes(html);

        var article = new ArticleExtractor().Extract(bytes, "text/html; charset=windows-1252", PageUrl);

        Assert.StartsWith("Le café de la gare rouvre après", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_BytesWithMetaCharset_DecodesByMetaTag()
    {
        var html = "<html><head><meta charset=\"iso-8859-1\"></head><body><p>Die Brücke über die Förde wird im Frühjahr für zwei Wochen gesperrt.</p></body></html>";
        var bytes = Encoding.Latin1.GetBytes(html);

        var article = new ArticleExtractor().Extract(bytes, "text/html", PageUrl);

        Assert.Contains("Die Brücke über die Förde", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_SharedInstanceInParallel_GivesSameResults()
    {
        var extractor = new ArticleExtractor();
        var pages = new[] { "boilerplate.html", "cjk.html", "related-markup.html", "relative-urls.html" }.Select(ReadingFiles.TestData).ToArray();
        var expected = pages.Select(page => extractor.Extract(page, PageUrl).Text).ToArray();

        var results = new string[64];
        Parallel.For(0, results.Length, i => results[i] = extractor.Extract(pages[i % pages.Length], PageUrl).Text);

        Assert.All(Enumerable.Range(0, results.Length), i => Assert.Equal(expected[i % pages.Length], results[i]));
    }

    [Fact]
    public void Extract_EmptyPage_ReturnsNoText()
    {
        var article = new ArticleExtractor().Extract("<html><head><title>Nothing here</title></head><body></body></html>", null);

        Assert.Empty(article.Paragraphs);
        Assert.Equal(string.Empty, article.Text);
        Assert.Equal("Nothing here", article.Title);
    }

    [Fact]
    public void Extract_ImpossiblePublishedDate_IsIgnored()
    {
        // Issue 13: a CMS placeholder "0001-01-01" was taken as the publication date.
        const string html = """
            <html><head><meta property="article:published_time" content="0001-01-01T00:00:00Z"><title>Flood</title></head>
            <body><article><h1>Flood</h1><time datetime="2017-11-16T14:15:00Z">16 November</time>
            <p>The river rose overnight and flooded the old town, where shops and homes stood under water by the morning.</p>
            <p>The council opened two shelters and said the water should fall again over the next two days.</p></article></body></html>
            """;

        var article = new ArticleExtractor().Extract(html, PageUrl);

        Assert.Equal(new DateTimeOffset(2017, 11, 16, 14, 15, 0, TimeSpan.Zero), article.Published);
    }
}
