using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using NewsBot.Benchmarks.Evaluation;
using NewsBot.Reading;

namespace NewsBot.Tests.Reading;

public sealed partial class NestingFlattenerTests
{
    private static string Repeat(string markup, int count) => new StringBuilder(markup.Length * count).Insert(0, markup, count).ToString();

    private static int Count(string html, string markup) => Regex.Count(html, Regex.Escape(markup));

    /// <summary>How deep the tree AngleSharp builds from the markup goes: what the limit is about.</summary>
    private static int TreeDepth(string html) =>
        new HtmlParser().ParseDocument(html).All.Max(element => element.Ancestors<IElement>().Count() + 1);

    [Fact]
    public void Flatten_CorpusArticlePages_ComeBackUnchangedEvenAtAQuarterOfTheLimits()
    {
        var corpus = Path.GetFullPath(Path.Combine(TestCorpus.Require("articles"), ".."));
        var pages = ArticlesCorpus.Zyte(corpus).Concat(ArticlesCorpus.Readability(corpus)).ToList();

        Assert.NotEmpty(pages);
        Assert.All(pages, page => Assert.Same(page.Html, NestingFlattener.Flatten(page.Html, NestingFlattener.MaxDepth / 4, NestingFlattener.MaxElements / 4)));
    }

    [Fact]
    public void Flatten_DeeperThanTheLimit_DropsTheExcessTagsAndKeepsTheText()
    {
        var html = $"<body>{Repeat("<div>", 10)}deep text{Repeat("</div>", 10)}<p>after</p>";

        var flattened = NestingFlattener.Flatten(html, maxDepth: 4);

        Assert.Equal($"<body>{Repeat("<div>", 4)}deep text{Repeat("</div>", 4)}<p>after</p>", flattened);
    }

    [Theory]
    [InlineData("<p>paragraph ")]
    [InlineData("<li>item ")]
    [InlineData("<dt>term <dd>definition ")]
    [InlineData("<tr><td>cell <td>cell ")]
    [InlineData("<a href=\"/x\">link ")]
    [InlineData("<option>choice ")]
    [InlineData("<br><img src=\"x.png\"><input><hr>")]
    [InlineData("<b>bold</b><i>italic</i><span>span</span>")]
    public void Flatten_SiblingsThatCloseThemselves_AreNotCounted(string markup)
    {
        var html = $"<ul><table>{Repeat(markup, 1000)}</table></ul>";

        Assert.Same(html, NestingFlattener.Flatten(html, maxDepth: 10));
    }

    [Theory]
    [InlineData("<script>", "</script>")]
    [InlineData("<style>", "</style>")]
    [InlineData("<textarea>", "</textarea>")]
    [InlineData("<!--", "-->")]
    public void Flatten_TagsInsideRawTextOrComments_AreNotCounted(string open, string close)
    {
        var html = $"<div>{open}{Repeat("<div>", 1000)}{close}</div>";

        Assert.Same(html, NestingFlattener.Flatten(html, maxDepth: 10));
    }

    [Theory]
    [InlineData("<span><div></span>")] // an end tag that meets a special element first is ignored
    [InlineData("<b><div></b>")] // the adoption agency moves the div, it does not close it
    [InlineData("<li><ul></li>")] // an li end tag does not reach past its list
    [InlineData("<font size=\"2\">")]
    [InlineData("<a href=\"/x\"><div>")]
    [InlineData("<p><object>")]
    [InlineData("<div title='a>b'>")] // ">" inside a quoted attribute does not end the tag
    [InlineData("<svg><g><path d=\"M0\"/>")]
    public void Flatten_MarkupThatNestsDeep_IsBoundedByTheLimit(string markup)
    {
        var html = $"<body>{Repeat(markup, 300)}text";

        var flattened = NestingFlattener.Flatten(html, maxDepth: 50);

        Assert.InRange(TreeDepth(html), 300, int.MaxValue);
        // The flattener may count more than the tree builder nests (never less), so some pages stop short of the limit.
        Assert.InRange(TreeDepth(flattened), 50 / 2, 50 + NestingFlattener.MaxFormatting + 2);
        Assert.EndsWith("text", flattened, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<svg><foreignObject>")] // HTML again inside the integration point
    [InlineData("<svg><div>")] // an HTML tag leaves foreign content
    public void Flatten_SelfClosingHtmlElementsOutsideForeignContent_AreCountedAsOpen(string context)
    {
        var html = $"<body>{context}{Repeat("<section/>", 300)}text";

        var flattened = NestingFlattener.Flatten(html, maxDepth: 50);

        Assert.InRange(TreeDepth(html), 300, int.MaxValue);
        Assert.InRange(TreeDepth(flattened), 50 / 2, 50 + 2);
    }

    [Fact]
    public void Flatten_SelfClosingSvgElements_AreNotCounted()
    {
        var html = $"<body><svg><g>{Repeat("<path d=\"M0\"/><circle r=\"1\"/>", 300)}</g></svg>text";

        Assert.Same(html, NestingFlattener.Flatten(html, maxDepth: 10));
    }

    [Fact]
    public void Flatten_MoreElementsThanTheBudget_KeepsTheFirstOnesAndAllText()
    {
        var html = $"<body>{Repeat("<p>text<br><a href=\"/x\">link</a>", 100)}";

        var flattened = NestingFlattener.Flatten(html, maxElements: 30);

        Assert.Equal($"<body>{Repeat("<p>text<br><a href=\"/x\">link</a>", 10)}{Repeat("text" + "link", 90)}", flattened);
    }

    [Fact]
    public void Flatten_FormattingLeftOpenAcrossParagraphs_KeepsTheActiveListBounded()
    {
        // Each unclosed <b> with its own attributes would be re-opened in every later paragraph.
        var html = string.Concat(Enumerable.Range(1, 100).Select(i => $"<p><b id=\"b{i}\">bold {i}</p>"));

        var flattened = NestingFlattener.Flatten(html);

        Assert.Equal(NestingFlattener.MaxFormatting, Count(flattened, "<b "));
        Assert.Equal(100, Count(flattened, "<p>"));
        Assert.Contains("bold 100", flattened, StringComparison.Ordinal);
    }

    [Fact]
    public void Flatten_AlikeFormattingLeftOpen_IsRememberedThreeTimesAtMost()
    {
        var html = Repeat("<p><b>bold</p>", 100);

        Assert.Same(html, NestingFlattener.Flatten(html));
    }
}
