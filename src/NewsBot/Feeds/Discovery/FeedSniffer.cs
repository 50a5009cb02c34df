using System.Text;
using System.Text.Json;

namespace NewsBot.Feeds.Discovery;

/// <summary>Tells a feed from a web page by its first bytes, whatever the server's Content-Type claims.</summary>
public static class FeedSniffer
{
    /// <summary>The prolog (declaration, comments, doctype) of a real feed fits well within this.</summary>
    private const int XmlSniffBytes = 4096;

    public static bool LooksLikeFeed(ReadOnlySpan<byte> content)
    {
        var text = DecodeStart(content);
        var start = SkipWhitespace(text, 0);
        if (start < text.Length && text[start] == '{')
        {
            return IsJsonFeed(content);
        }

        return RootElementName(text, start) is { } name && IsFeedRoot(name);
    }

    /// <summary>RSS 0.9x/2.0 "rss", Atom "feed", RSS 0.90/1.0 "rdf:RDF" (any prefix).</summary>
    private static bool IsFeedRoot(string name)
    {
        var local = name[(name.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return name is "rss" or "feed" || local == "RDF";
    }

    /// <summary>JSON Feed: a root object whose "version" is a jsonfeed.org version URL (jsonfeed.org/version/1.1).</summary>
    private static bool IsJsonFeed(ReadOnlySpan<byte> content)
    {
        try
        {
            var reader = new Utf8JsonReader(content.StartsWith("\uFEFF"u8) ? content[3..] : content);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("version", out var version)
                && version.ValueKind == JsonValueKind.String
                && version.GetString() is { } value
                && (value.StartsWith("https://jsonfeed.org/version/", StringComparison.OrdinalIgnoreCase)
                    || value.StartsWith("http://jsonfeed.org/version/", StringComparison.OrdinalIgnoreCase));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Element names are ASCII, so Latin-1 reads them correctly from any ASCII-compatible encoding;
    /// only UTF-16 (with or without a byte order mark) needs its own decoder.
    /// </summary>
    private static string DecodeStart(ReadOnlySpan<byte> content)
    {
        var head = content[..Math.Min(content.Length, XmlSniffBytes)];
        return head switch
        {
            [0xFF, 0xFE, ..] => Encoding.Unicode.GetString(head[2..]),
            [0xFE, 0xFF, ..] => Encoding.BigEndianUnicode.GetString(head[2..]),
            [0xEF, 0xBB, 0xBF, ..] => Encoding.Latin1.GetString(head[3..]),
            [(byte)'<', 0, ..] => Encoding.Unicode.GetString(head),
            [0, (byte)'<', ..] => Encoding.BigEndianUnicode.GetString(head),
            _ => Encoding.Latin1.GetString(head),
        };
    }

    /// <summary>The name of the first element after the XML declaration, comments, PIs and doctype, if any.</summary>
    private static string? RootElementName(string text, int position)
    {
        while (true)
        {
            position = SkipWhitespace(text, position);
            if (position >= text.Length || text[position] != '<')
            {
                return null;
            }

            var rest = text.AsSpan(position);
            if (rest.StartsWith("<?"))
            {
                position = After(text, position, "?>");
            }
            else if (rest.StartsWith("<!--"))
            {
                position = After(text, position, "-->");
            }
            else if (rest.StartsWith("<!"))
            {
                position = AfterDeclaration(text, position);
            }
            else
            {
                var end = position + 1;
                while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not ('>' or '/'))
                {
                    end++;
                }

                return end > position + 1 ? text[(position + 1)..end] : null;
            }

            if (position < 0)
            {
                return null;
            }
        }
    }

    private static int After(string text, int position, string terminator)
    {
        var end = text.IndexOf(terminator, position, StringComparison.Ordinal);
        return end < 0 ? -1 : end + terminator.Length;
    }

    /// <summary>Skips a &lt;!DOCTYPE …&gt;, including an internal subset in brackets.</summary>
    private static int AfterDeclaration(string text, int position)
    {
        var depth = 0;
        for (var i = position; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '[':
                    depth++;
                    break;
                case ']':
                    depth--;
                    break;
                case '>' when depth == 0:
                    return i + 1;
            }
        }

        return -1;
    }

    private static int SkipWhitespace(string text, int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }

        return position;
    }
}
