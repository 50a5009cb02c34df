using NewsBot.Reading;

namespace NewsBot.Tests.Reading;

public sealed class RelatedLinkFinderTests
{
    private static readonly Uri PageUrl = new("https://news.example/2026/06/harbour-crane.html");

    private const string Body =
        "<article><h1>Harbour crane returns</h1><p>The old harbour crane is back in place after two years of repairs, "
        + "and the city says it will be lit at night from next month onwards for visitors.</p>"
        + "<p>Engineers replaced the rusted jib and restored the operator's cabin with parts made in the port's own workshop.</p></article>";

    [Fact]
    public void Extract_RelatedCardsWithHeadingAndTeaser_TakesTheHeadlineAlone()
    {
        var html = "<html><body>" + Body
            + "<section class=\"related-stories\"><h2>Related</h2>"
            + "<a href=\"/2026/05/gmail-inbox-changes.html\"><h4>Google changes the Gmail inbox</h4><p>Google continues to reshape its mail service…</p></a>"
            + "<a href=\"/2026/05/quay-market.html\"><div>Market moves to the quay for the summer</div><div>Stalls open on Saturday…</div></a>"
            + "</section></body></html>";

        var article = new ArticleExtractor().Extract(html, PageUrl);

        Assert.Equal(["Google changes the Gmail inbox", "Market moves to the quay for the summer"], article.Related.Select(link => link.Title));
    }

    [Fact]
    public void Extract_RelatedBlockWithSectionTagAndAuthorLinks_KeepsArticlesOnly()
    {
        var html = "<html><body>" + Body
            + "<div class=\"related\"><h3>Read more</h3><ul>"
            + "<li><a href=\"/news/science-environment\">Science and environment news</a></li>"
            + "<li><a href=\"/tag/harbours\">All stories about harbours</a></li>"
            + "<li><a href=\"/author/jane-doe\">More from our reporter Jane</a></li>"
            + "<li><a href=\"/2026/04/ferry-timetable-changes.html\">Ferry timetable changes this spring</a></li>"
            + "</ul></div></body></html>";

        var article = new ArticleExtractor().Extract(html, PageUrl);

        Assert.Equal(["https://news.example/2026/04/ferry-timetable-changes.html"], article.Related.Select(link => link.Url));
    }

    [Theory]
    [InlineData("https://news.example/news/world", true)]
    [InlineData("/sport", true)]
    [InlineData("https://news.example/news/science-environment", true)]
    [InlineData("https://news.example/news/world-europe-68123456", false)]
    [InlineData("https://news.example/2026/04/ferry.html", false)]
    [InlineData("https://news.example/politics/brexit-deal-is-agreed", false)]
    [InlineData("https://news.example/story?id=42", false)]
    public void IsSectionLink_Address_TellsSectionFromArticle(string href, bool section) =>
        Assert.Equal(section, RelatedLinkFinder.IsSectionLink(href));
}
