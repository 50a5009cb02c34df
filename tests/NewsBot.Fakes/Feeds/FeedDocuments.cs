using System.Globalization;
using System.Security;
using System.Text;

namespace NewsBot.Fakes.Feeds;

/// <summary>Generated feed and article documents: item k of feed i is always the same text, so runs repeat.</summary>
internal static class FeedDocuments
{
    private static readonly string[] Sentences =
    [
        "The council met on Tuesday to discuss the new budget for public transport.",
        "Residents said the changes would affect their daily commute across the river.",
        "Engineers expect the work on the bridge to last until the end of next spring.",
        "A spokesperson for the operator declined to comment on the projected costs.",
        "Local shops reported more visitors since the market moved to the main square.",
        "The university published a study on air quality near the busiest junctions.",
    ];

    private static readonly string[] Syllables = ["ka", "lo", "mi", "ren", "tas", "vo", "bel", "dra", "quin", "sor", "pel", "nu", "zar", "fen", "gil", "hop", "tre", "wim", "ast", "cor"];

    public static string ItemTitle(int feed, int item) => $"Feed {feed} story {item}: {Words(feed, item, 0, 6)}";

    public static string Rss(string site, int feed, FeedSnapshot snapshot)
    {
        var xml = new StringBuilder(1024 + ((snapshot.Count - snapshot.First) * 600));
        xml.Append(CultureInfo.InvariantCulture, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>Fake feed {feed}</title><link>{site}feeds/{feed}</link><description>Generated news {feed}</description>

            """);
        for (var k = snapshot.Count - 1; k >= snapshot.First; k--)
        {
            xml.Append(CultureInfo.InvariantCulture, $"""
                <item><title>{Escape(ItemTitle(feed, k))}</title><link>{site}items/{feed}/{k}</link><guid isPermaLink="false">urn:fake:{feed}:{k}</guid><pubDate>{snapshot.AppearedAt(k).ToString("R", CultureInfo.InvariantCulture)}</pubDate><description>{Escape(Body(feed, k))}</description></item>

                """);
        }

        xml.Append("</channel></rss>\n");
        return xml.ToString();
    }

    public static string Atom(string site, int feed, FeedSnapshot snapshot)
    {
        var xml = new StringBuilder(1024 + ((snapshot.Count - snapshot.First) * 700));
        xml.Append(CultureInfo.InvariantCulture, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Fake feed {feed}</title><id>urn:fake:{feed}</id><link href="{site}feeds/{feed}"/><updated>{snapshot.LastAppeared.ToString("O", CultureInfo.InvariantCulture)}</updated>

            """);
        for (var k = snapshot.Count - 1; k >= snapshot.First; k--)
        {
            xml.Append(CultureInfo.InvariantCulture, $"""
                <entry><title>{Escape(ItemTitle(feed, k))}</title><link href="{site}items/{feed}/{k}"/><id>urn:fake:{feed}:{k}</id><updated>{snapshot.AppearedAt(k).ToString("O", CultureInfo.InvariantCulture)}</updated><content type="html">{Escape("<p>" + Body(feed, k) + "</p>")}</content></entry>

                """);
        }

        xml.Append("</feed>\n");
        return xml.ToString();
    }

    public static string ArticlePage(int feed, int item) => $"""
        <!DOCTYPE html><html><head><title>{Escape(ItemTitle(feed, item))}</title></head>
        <body><nav><a href="/">Home</a></nav><article><h1>{Escape(ItemTitle(feed, item))}</h1>
        <p>{Escape(Body(feed, item))}</p><p>{Escape(Body(feed + 1, item + 1))}</p><p>{Escape(Body(feed + 2, item + 2))}</p></article>
        <footer>Fake news site</footer></body></html>
        """;

    /// <summary>
    /// A real sentence and two of made-up words unique to the item: same-story detection must see every item as
    /// its own story, as separate news would be, or it would rightly post only one of them.
    /// </summary>
    private static string Body(int feed, int item) =>
        $"Story {item} from feed {feed}. {Sentences[(feed + item) % Sentences.Length]} {Words(feed, item, 1, 12)}. {Words(feed, item, 2, 12)}.";

    /// <summary><paramref name="count"/> made-up words, the same for the same arguments.</summary>
    private static string Words(int feed, int item, int part, int count)
    {
        var random = new Random(unchecked((feed * 1_000_003) + (item * 31) + part));
        return string.Join(' ', Enumerable.Range(0, count).Select(_ =>
            string.Concat(Enumerable.Range(0, random.Next(2, 4)).Select(_ => Syllables[random.Next(Syllables.Length)]))));
    }

    private static string Escape(string text) => SecurityElement.Escape(text);
}
