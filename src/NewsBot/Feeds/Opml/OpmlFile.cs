using System.Text;
using System.Xml;

namespace NewsBot.Feeds.Opml;

/// <summary>One subscription in an OPML file. <see cref="Category"/> is the folder path, "News/Tech" for nested folders.</summary>
public sealed record OpmlFeed(string Url, string? Title, string? Category)
{
    /// <summary>
    /// A channel's subscription to this feed, as NewsBot exports it: /subscribe options by name (the
    /// <see cref="OpmlFile.SettingsNamespace"/> attributes); null when the outline carries none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Subscription { get; init; }
}

/// <summary>A subscription that is not to one feed ("topic:climate", "all"), with its /subscribe options by name.</summary>
public sealed record OpmlTargetSubscription(string Target, IReadOnlyDictionary<string, string> Options);

/// <summary>The feeds read from an OPML file; <see cref="Error"/> is set when the file could not be read at all.</summary>
public sealed record OpmlReadResult(IReadOnlyList<OpmlFeed> Feeds, string? Error = null)
{
    /// <summary>NewsBot's own outlines without a feed: subscriptions to a topic or to everything.</summary>
    public IReadOnlyList<OpmlTargetSubscription> OtherSubscriptions { get; init; } = [];
}

/// <summary>
/// Import and export of subscription lists (OPML 2.0, http://opml.org/spec2.opml). Reading is lenient:
/// any outline with an xmlUrl is a feed, wherever it sits, and the folders above it become its category.
/// A channel's subscription settings travel as attributes in <see cref="SettingsNamespace"/> (OPML 2.0 allows
/// namespaced attributes; other readers ignore them): <c>newsbot:subscribe="true"</c> plus one attribute per
/// /subscribe option on a feed, and <c>newsbot:target</c> outlines without a feed for topics and "all".
/// </summary>
public static class OpmlFile
{
    public const string SettingsNamespace = "urn:newsbot:subscription";
    private const string SettingsPrefix = "newsbot";
    private const string SubscribedAttribute = "subscribe";
    private const string TargetAttribute = "target";
    private const char CategorySeparator = '/';

    public static OpmlReadResult Read(Stream stream)
    {
        var settings = new XmlReaderSettings
        {
            // Exports from some readers carry a doctype; none needs it, and expanding one invites entity bombs.
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            CheckCharacters = false,
            IgnoreComments = true,
        };
        var feeds = new List<OpmlFeed>();
        var others = new List<OpmlTargetSubscription>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var folders = new Stack<string?>();
        try
        {
            using var reader = XmlReader.Create(stream, settings);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.EndElement && IsOutline(reader))
                {
                    folders.Pop();
                }
                else if (reader.NodeType == XmlNodeType.Element && IsOutline(reader))
                {
                    var text = NullIfBlank(Attribute(reader, "title")) ?? NullIfBlank(Attribute(reader, "text"));
                    var url = NullIfBlank(Attribute(reader, "xmlUrl"));
                    var options = Settings(reader);
                    if (url is not null && seen.Add(url))
                    {
                        // Exporters (this one included) put the URL in "text" when a feed has no title.
                        var title = text == url ? null : text;
                        var subscribed = options.Remove(SubscribedAttribute) || options.Count > 0;
                        feeds.Add(new OpmlFeed(url, title, CategoryOf(folders) ?? CategoryAttribute(reader)) { Subscription = subscribed ? options : null });
                    }
                    else if (url is null && options.Remove(TargetAttribute, out var target))
                    {
                        others.Add(new OpmlTargetSubscription(target, options));
                    }

                    if (!reader.IsEmptyElement)
                    {
                        // A feed outline with children is not a folder; its children keep the outer category.
                        folders.Push(url is null ? text?.Replace(CategorySeparator, ' ') : null);
                    }
                }
            }
        }
        catch (XmlException ex)
        {
            return new OpmlReadResult(feeds, $"opml.parse_failed: {ex.Message}") { OtherSubscriptions = others };
        }

        return new OpmlReadResult(feeds) { OtherSubscriptions = others };
    }

    /// <summary>
    /// Writes OPML 2.0, one folder outline per category level, feeds in the given order within each; then
    /// <paramref name="others"/> as feedless outlines. Subscription settings go in <see cref="SettingsNamespace"/>.
    /// </summary>
    public static void Write(IEnumerable<OpmlFeed> feeds, Stream stream, string title = "NewsBot subscriptions", IEnumerable<OpmlTargetSubscription>? others = null)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "  " };
        using var writer = XmlWriter.Create(stream, settings);
        writer.WriteStartDocument();
        writer.WriteStartElement("opml");
        writer.WriteAttributeString("version", "2.0");
        writer.WriteAttributeString("xmlns", SettingsPrefix, null, SettingsNamespace);
        writer.WriteStartElement("head");
        writer.WriteElementString("title", title);
        writer.WriteEndElement();
        writer.WriteStartElement("body");
        WriteFolder(writer, feeds.Select(feed => (Path: SplitCategory(feed.Category), Feed: feed)).ToList(), depth: 0);
        foreach (var other in others ?? [])
        {
            writer.WriteStartElement("outline");
            writer.WriteAttributeString("text", other.Target);
            writer.WriteAttributeString(SettingsPrefix, TargetAttribute, SettingsNamespace, other.Target);
            WriteSettings(writer, other.Options);
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    private static void WriteFolder(XmlWriter writer, List<(string[] Path, OpmlFeed Feed)> entries, int depth)
    {
        foreach (var (_, feed) in entries.Where(entry => entry.Path.Length == depth))
        {
            writer.WriteStartElement("outline");
            writer.WriteAttributeString("type", "rss");
            writer.WriteAttributeString("text", feed.Title ?? feed.Url);
            if (feed.Title is not null)
            {
                writer.WriteAttributeString("title", feed.Title);
            }

            writer.WriteAttributeString("xmlUrl", feed.Url);
            if (feed.Subscription is { } subscription)
            {
                writer.WriteAttributeString(SettingsPrefix, SubscribedAttribute, SettingsNamespace, "true");
                WriteSettings(writer, subscription);
            }

            writer.WriteEndElement();
        }

        foreach (var folder in entries.Where(entry => entry.Path.Length > depth).GroupBy(entry => entry.Path[depth], StringComparer.Ordinal))
        {
            writer.WriteStartElement("outline");
            writer.WriteAttributeString("text", folder.Key);
            writer.WriteAttributeString("title", folder.Key);
            WriteFolder(writer, folder.ToList(), depth + 1);
            writer.WriteEndElement();
        }
    }

    private static void WriteSettings(XmlWriter writer, IReadOnlyDictionary<string, string> options)
    {
        foreach (var (name, value) in options)
        {
            writer.WriteAttributeString(SettingsPrefix, name, SettingsNamespace, value);
        }
    }

    /// <summary>The outline's attributes in <see cref="SettingsNamespace"/>, by local name.</summary>
    private static Dictionary<string, string> Settings(XmlReader reader)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var more = reader.MoveToFirstAttribute(); more; more = reader.MoveToNextAttribute())
        {
            if (reader.NamespaceURI == SettingsNamespace)
            {
                settings[reader.LocalName] = reader.Value;
            }
        }

        reader.MoveToElement();
        return settings;
    }

    private static bool IsOutline(XmlReader reader) =>
        string.Equals(reader.LocalName, "outline", StringComparison.OrdinalIgnoreCase);

    /// <summary>Attribute names compared without case: exporters write xmlUrl, xmlurl and XMLURL.</summary>
    private static string? Attribute(XmlReader reader, string name)
    {
        for (var more = reader.MoveToFirstAttribute(); more; more = reader.MoveToNextAttribute())
        {
            if (string.Equals(reader.LocalName, name, StringComparison.OrdinalIgnoreCase))
            {
                var value = reader.Value;
                reader.MoveToElement();
                return value;
            }
        }

        reader.MoveToElement();
        return null;
    }

    private static string? CategoryOf(Stack<string?> folders)
    {
        // The stack enumerates innermost first.
        var path = folders.Where(folder => folder is not null).Reverse().ToArray();
        return path.Length == 0 ? null : string.Join(CategorySeparator, path);
    }

    /// <summary>OPML 2.0's own category attribute: comma-separated "/a/b" paths; the first one counts.</summary>
    private static string? CategoryAttribute(XmlReader reader) =>
        NullIfBlank(Attribute(reader, "category")?.Split(',')[0].Trim().Trim(CategorySeparator));

    private static string[] SplitCategory(string? category) =>
        category?.Split(CategorySeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
