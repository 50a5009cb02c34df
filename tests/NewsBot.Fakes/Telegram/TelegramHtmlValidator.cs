using System.Globalization;
using System.Text;

namespace NewsBot.Fakes.Telegram;

/// <summary>The visible text of a Telegram HTML message, or why Telegram would refuse it.</summary>
/// <param name="Error">The text after "Bad Request: can't parse entities: ", or null when the HTML is valid.</param>
/// <param name="Text">The text a reader sees: tags removed, entities decoded.</param>
public sealed record TelegramHtmlParseResult(string? Error, string Text)
{
    public bool IsValid => Error is null;
}

/// <summary>
/// Parses HTML the way the Bot API documents its HTML parse mode (core.telegram.org/bots/api#html-style): only the
/// listed tags, properly nested; named entities only &amp;lt; &amp;gt; &amp;amp; &amp;quot;, plus numeric ones.
/// Stricter than Telegram in one respect: a bare or unknown <c>&amp;...</c> is an error, so our escaping mistakes show
/// up in tests instead of as odd text in chats. Error texts and UTF-8 byte offsets follow the live API.
/// </summary>
public static class TelegramHtmlValidator
{
    private static readonly HashSet<string> AllowedTags =
    [
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler", "span",
        "a", "code", "pre", "blockquote", "tg-emoji", "tg-time",
    ];

    public static TelegramHtmlParseResult Parse(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = new StringBuilder(html.Length);
        var open = new Stack<string>();
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            string? error;
            if (c == '&')
            {
                error = ReadEntity(html, ref i, text);
            }
            else if (c != '<')
            {
                text.Append(c);
                i++;
                error = null;
            }
            else if (i + 1 < html.Length && html[i + 1] == '/')
            {
                error = ReadEndTag(html, ref i, open);
            }
            else
            {
                error = ReadStartTag(html, ref i, open);
            }

            if (error is not null)
            {
                return new TelegramHtmlParseResult(error, text.ToString());
            }
        }

        return open.Count > 0
            ? new TelegramHtmlParseResult($"Can't find end tag corresponding to start tag \"{open.Peek()}\"", text.ToString())
            : new TelegramHtmlParseResult(null, text.ToString());
    }

    private static string? ReadEntity(string html, ref int i, StringBuilder text)
    {
        var start = i;
        var end = html.IndexOf(';', i + 1);
        var name = end < 0 || end - start > 12 ? null : html[(start + 1)..end];
        var decoded = name switch
        {
            "lt" => "<",
            "gt" => ">",
            "amp" => "&",
            "quot" => "\"",
            null => null,
            _ when name.StartsWith("#x", StringComparison.OrdinalIgnoreCase) => CodePoint(name[2..], NumberStyles.AllowHexSpecifier),
            _ when name.StartsWith('#') => CodePoint(name[1..], NumberStyles.None),
            _ => null,
        };
        if (decoded is null)
        {
            return $"Unsupported character entity \"{Shorten(html, start)}\" at byte offset {ByteOffset(html, start)}";
        }

        text.Append(decoded);
        i = end + 1;
        return null;
    }

    private static string? CodePoint(string digits, NumberStyles style) =>
        digits.Length > 0
        && int.TryParse(digits, style, CultureInfo.InvariantCulture, out var value)
        && value is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF)
            ? char.ConvertFromUtf32(value)
            : null;

    private static string? ReadEndTag(string html, ref int i, Stack<string> open)
    {
        var start = i;
        var close = html.IndexOf('>', i);
        if (close < 0)
        {
            return $"Unclosed end tag at byte offset {ByteOffset(html, start)}";
        }

        var name = html[(start + 2)..close].Trim().ToLowerInvariant();
        if (open.Count == 0)
        {
            return $"Unexpected end tag at byte offset {ByteOffset(html, start)}";
        }

        if (open.Peek() != name)
        {
            return $"Unmatched end tag at byte offset {ByteOffset(html, start)}, expected \"</{open.Peek()}>\", found \"</{name}>\"";
        }

        open.Pop();
        i = close + 1;
        return null;
    }

    private static string? ReadStartTag(string html, ref int i, Stack<string> open)
    {
        var start = i;
        var position = i + 1;
        while (position < html.Length && (char.IsAsciiLetterOrDigit(html[position]) || html[position] == '-'))
        {
            position++;
        }

        var name = html[(start + 1)..position].ToLowerInvariant();
        if (!AllowedTags.Contains(name))
        {
            return $"Unsupported start tag \"{name}\" at byte offset {ByteOffset(html, start)}";
        }

        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var attributeError = ReadAttributes(html, ref position, name, attributes);
        if (attributeError is not null)
        {
            return attributeError;
        }

        var nestingError = CheckNesting(name, attributes, open);
        if (nestingError is not null)
        {
            return $"{nestingError} at byte offset {ByteOffset(html, start)}";
        }

        open.Push(name);
        i = position;
        return null;
    }

    /// <summary>Reads <c>name="value"</c> pairs up to and including the closing <c>&gt;</c>.</summary>
    private static string? ReadAttributes(string html, ref int position, string tag, Dictionary<string, string> attributes)
    {
        while (true)
        {
            while (position < html.Length && char.IsWhiteSpace(html[position]))
            {
                position++;
            }

            if (position >= html.Length)
            {
                return $"Unclosed start tag at byte offset {ByteOffset(html, html.Length)}";
            }

            if (html[position] == '>')
            {
                position++;
                return null;
            }

            var nameStart = position;
            while (position < html.Length && (char.IsAsciiLetterOrDigit(html[position]) || html[position] is '-' or '_'))
            {
                position++;
            }

            if (position == nameStart)
            {
                return $"Empty attribute name in the tag \"{tag}\" at byte offset {ByteOffset(html, position)}";
            }

            var attributeName = html[nameStart..position];
            if (position < html.Length && html[position] != '=')
            {
                // A bare attribute such as <blockquote expandable>.
                attributes[attributeName] = "";
                continue;
            }

            position++;
            var valueError = ReadAttributeValue(html, ref position, tag, out var value);
            if (valueError is not null)
            {
                return valueError;
            }

            attributes[attributeName] = value;
        }
    }

    private static string? ReadAttributeValue(string html, ref int position, string tag, out string value)
    {
        value = "";
        if (position >= html.Length)
        {
            return $"Unclosed start tag at byte offset {ByteOffset(html, html.Length)}";
        }

        var quote = html[position] is '"' or '\'' ? html[position] : '\0';
        var valueStart = quote == '\0' ? position : position + 1;
        var valueEnd = quote == '\0'
            ? html.IndexOfAny([' ', '\t', '\n', '\r', '>'], valueStart)
            : html.IndexOf(quote, valueStart);
        if (valueEnd < 0)
        {
            return $"Unclosed start tag at byte offset {ByteOffset(html, html.Length)}";
        }

        var raw = html[valueStart..valueEnd];
        if (raw.Contains('<', StringComparison.Ordinal))
        {
            return $"Unexpected \"<\" in an attribute of the tag \"{tag}\" at byte offset {ByteOffset(html, valueStart)}";
        }

        var decoded = new StringBuilder(raw.Length);
        for (var j = 0; j < raw.Length;)
        {
            if (raw[j] == '&')
            {
                var entityError = ReadEntity(raw, ref j, decoded);
                if (entityError is not null)
                {
                    return $"{entityError} (in an attribute of the tag \"{tag}\")";
                }
            }
            else
            {
                decoded.Append(raw[j++]);
            }
        }

        value = decoded.ToString();
        position = quote == '\0' ? valueEnd : valueEnd + 1;
        return null;
    }

    private static string? CheckNesting(string name, Dictionary<string, string> attributes, Stack<string> open)
    {
        if (open.TryPeek(out var parent))
        {
            // Only <pre><code class="language-x"> may nest inside pre; nothing nests inside code.
            if (parent == "code" || (parent == "pre" && name != "code"))
            {
                return $"Can't use tag \"{name}\" inside \"{parent}\"";
            }
        }

        if (name == "blockquote" && open.Contains("blockquote"))
        {
            return "Blockquotes can't be nested";
        }

        return name switch
        {
            "span" when !string.Equals(attributes.GetValueOrDefault("class"), "tg-spoiler", StringComparison.Ordinal) =>
                "Tag \"span\" must have class \"tg-spoiler\"",
            "tg-emoji" when !attributes.ContainsKey("emoji-id") => "Tag \"tg-emoji\" must have attribute \"emoji-id\"",
            "tg-time" when !attributes.ContainsKey("unix") => "Tag \"tg-time\" must have attribute \"unix\"",
            "a" when attributes.TryGetValue("href", out var href) && !IsAcceptedHref(href) => $"Wrong URL \"{href}\" in the tag \"a\"",
            _ => null,
        };
    }

    private static bool IsAcceptedHref(string href) =>
        Uri.TryCreate(href, UriKind.Absolute, out var uri)
        && (uri.Scheme is "http" or "https" or "tg" or "mailto" || href.StartsWith("tg://", StringComparison.OrdinalIgnoreCase));

    private static int ByteOffset(string html, int index) => Encoding.UTF8.GetByteCount(html.AsSpan(0, index));

    private static string Shorten(string html, int start) => html.Substring(start, Math.Min(10, html.Length - start));
}
