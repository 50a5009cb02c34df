using System.Text;

namespace NewsBot.Benchmarks.Reading;

/// <summary>
/// Hostile article pages: an ordinary paragraph, then <c>depth</c> start tags of one element before the article's
/// text, with all their end tags after it, none (as broken markup has), or just one before it. Shared by the nesting
/// bench and the extractor's tests.
/// </summary>
public static class NestedPages
{
    public enum Closing
    {
        All,
        None,

        /// <summary>For &lt;a&gt;, which cannot nest: each start tag closes the open link, the one end tag the last.</summary>
        Last,
    }

    public const string Text = "The council approved the new harbour budget on Tuesday, after a debate that ran past midnight. "
        + "Fishermen, ferry operators and residents had asked for the repairs for years, and the vote was close. "
        + "Work on the northern pier starts in spring; the southern basin follows once the dredging permit is granted.";

    /// <summary>The shapes the bench and the tests try.</summary>
    public static IReadOnlyList<(string Tag, Closing Closing)> Shapes { get; } =
        [("i", Closing.All), ("div", Closing.All), ("b", Closing.All), ("font", Closing.None), ("a", Closing.Last)];

    public static string Create(string tag, int depth, Closing closing)
    {
        var open = tag == "a" ? "<a href=\"/x\">" : $"<{tag}>";
        var html = new StringBuilder((depth * (open.Length + tag.Length + 3)) + 512)
            .Append("<!DOCTYPE html><html><head><title>Harbour budget</title></head><body><p>Harbour news.</p>");
        for (var i = 0; i < depth; i++)
        {
            html.Append(open);
        }

        var endTag = $"</{tag}>";
        html.Append(closing == Closing.Last ? endTag : "").Append("<p>").Append(Text).Append("</p>");
        for (var i = 0; closing == Closing.All && i < depth; i++)
        {
            html.Append(endTag);
        }

        return html.Append("</body></html>").ToString();
    }
}
