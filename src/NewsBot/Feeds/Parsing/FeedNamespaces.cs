namespace NewsBot.Feeds.Parsing;

/// <summary>
/// Short keys for the vocabularies the parser reads. RSS 0.9/1.0 element namespaces map to "" like plain RSS 2.0,
/// and Atom 0.3 to "atom" like Atom 1.0, because their elements are read the same way; the raw URI still tells
/// the versions apart.
/// </summary>
internal static class FeedNamespaces
{
    public const string None = "";
    public const string Atom = "atom";
    public const string Rdf = "rdf";
    public const string Content = "content";
    public const string Dc = "dc";
    public const string DcTerms = "dcterms";
    public const string Media = "media";
    public const string Itunes = "itunes";
    public const string Syndication = "sy";
    public const string Xhtml = "xhtml";
    public const string Xml = "xml";

    public const string Atom10Uri = "http://www.w3.org/2005/Atom";
    public const string Atom03Uri = "http://purl.org/atom/ns#";
    public const string Rss10Uri = "http://purl.org/rss/1.0/";
    public const string Rss090Uri = "http://my.netscape.com/rdf/simple/0.9/";

    private static readonly Dictionary<string, string> ByUri = new(StringComparer.OrdinalIgnoreCase)
    {
        [Atom10Uri] = Atom,
        [Atom03Uri] = Atom,
        ["http://purl.org/atom/ns"] = Atom,
        [Rss10Uri] = None,
        ["http://purl.org/rss/1.0"] = None,
        [Rss090Uri] = None,
        ["http://channel.netscape.com/rdf/simple/0.9/"] = None,
        ["http://backend.userland.com/rss2"] = None,
        ["http://backend.userland.com/rss"] = None,
        ["http://blogs.law.harvard.edu/tech/rss"] = None,
        ["http://www.w3.org/1999/02/22-rdf-syntax-ns#"] = Rdf,
        ["http://purl.org/rss/1.0/modules/content/"] = Content,
        ["http://purl.org/dc/elements/1.1/"] = Dc,
        ["http://purl.org/dc/elements/1.0/"] = Dc,
        ["http://purl.org/dc/terms/"] = DcTerms,
        ["http://search.yahoo.com/mrss/"] = Media,
        ["http://search.yahoo.com/mrss"] = Media,
        ["http://tools.search.yahoo.com/mrss/"] = Media,
        ["http://www.itunes.com/dtds/podcast-1.0.dtd"] = Itunes,
        ["http://www.itunes.com/dtds/podcast-1.0.dtd/"] = Itunes,
        ["http://purl.org/rss/1.0/modules/syndication/"] = Syndication,
        ["http://www.w3.org/1999/xhtml"] = Xhtml,
        ["http://www.w3.org/XML/1998/namespace"] = Xml,
    };

    /// <summary>Prefixes feeds commonly use without declaring them; a reader still knows what they mean.</summary>
    private static readonly Dictionary<string, string> ByConventionalPrefix = new(StringComparer.OrdinalIgnoreCase)
    {
        ["atom"] = Atom,
        ["rdf"] = Rdf,
        ["content"] = Content,
        ["dc"] = Dc,
        ["dcterms"] = DcTerms,
        ["media"] = Media,
        ["itunes"] = Itunes,
        ["sy"] = Syndication,
        ["xhtml"] = Xhtml,
        ["xml"] = Xml,
    };

    public static string KeyOfUri(string uri) => ByUri.TryGetValue(uri.Trim(), out var key) ? key : uri.Trim();

    public static string KeyOfUndeclaredPrefix(string prefix) =>
        ByConventionalPrefix.TryGetValue(prefix, out var key) ? key : prefix;
}
