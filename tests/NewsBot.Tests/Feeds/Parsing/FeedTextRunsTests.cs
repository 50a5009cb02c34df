using System.Text;
using NewsBot.Feeds.Parsing;

namespace NewsBot.Tests.Feeds.Parsing;

/// <summary>Element text is kept as source runs and decoded on first read: the runs must join as written.</summary>
public sealed class FeedTextRunsTests
{
    [Fact]
    public void Parse_TextCDataAndEntityRuns_JoinInDocumentOrder()
    {
        var item = ParseItem("<description>\n  <![CDATA[<b>Fish</b>]]> &amp; <![CDATA[]]>chips&#x21;\n</description>"
            + "<content:encoded>  <![CDATA[<p>one</p>]]>\n  <![CDATA[<p>two</p>]]>  </content:encoded>");

        Assert.Equal("Fish & chips!", item.Summary);
        Assert.Equal("<p>one</p>\n  <p>two</p>", item.Content);
    }

    [Fact]
    public void Parse_TrimmedValueWithWhitespaceReferences_IsTrimmedAfterDecoding()
    {
        var item = ParseItem("<guid isPermaLink=\"false\">&#32; id-7 &#x9;</guid><category> &#160;</category><category>&#32;news </category>");

        Assert.Equal("id-7", item.Id);
        Assert.Equal(["news"], item.Categories.Select(c => c.Term));
    }

    [Fact]
    public void Parse_DoubleEncodedRunsThroughoutTheDocument_RepairsEachAndKeepsTheTextBetween()
    {
        var title = "CafÃ© au lait, " + new string('x', 5000) + " naÃ¯ve Ã¼ber ☕ rÃ©sumÃ©";
        var item = ParseItem($"<title>{title}</title>");

        Assert.Equal("Café au lait, " + new string('x', 5000) + " naïve über ☕ résumé", item.Title);
    }

    private static ParsedItem ParseItem(string itemXml)
    {
        var document = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
            + $"<channel><title>T</title><item>{itemXml}</item></channel></rss>";
        var result = new FeedParser().Parse(Encoding.UTF8.GetBytes(document), null, null);
        Assert.Null(result.Error);
        return Assert.Single(result.Feed!.Items);
    }
}
