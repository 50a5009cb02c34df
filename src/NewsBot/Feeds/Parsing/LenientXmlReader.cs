using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;

namespace NewsBot.Feeds.Parsing;

/// <summary>
/// A forgiving XML tokenizer that recovers what a feed reader would from ill-formed documents: unclosed and
/// misnested tags, stray '&amp;' and '&lt;', HTML named entities, garbage before the root. It never processes a
/// DOCTYPE: the internal subset is skipped whole, so declared entities (billion laughs) and external entities
/// (XXE) are never expanded and nothing is ever fetched.
/// </summary>
internal static class LenientXmlReader
{
    /// <summary>Parses <paramref name="text"/> into a synthetic document element whose children are the top-level elements.</summary>
    public static FeedElement Read(string text, Uri? baseUri)
    {
        var document = new FeedElement(text, string.Empty, "#document", null) { BaseUri = baseUri };
        var open = new List<FeedElement> { document };
        var names = new NameTable();
        var i = 0;
        var n = text.Length;
        while (i < n)
        {
            var lt = text.IndexOf('<', i);
            if (lt < 0)
            {
                AddText(open[^1], text, i, n);
                break;
            }

            if (lt > i)
            {
                AddText(open[^1], text, i, lt);
            }

            i = lt;
            if (string.CompareOrdinal(text, i, "<!--", 0, 4) == 0)
            {
                i = SkipPast(text, i + 4, "-->");
            }
            else if (string.CompareOrdinal(text, i, "<![CDATA[", 0, 9) == 0)
            {
                var end = text.IndexOf("]]>", i + 9, StringComparison.Ordinal);
                var stop = end < 0 ? n : end;
                if (open.Count > 1)
                {
                    open[^1].AppendText(text[(i + 9)..stop]);
                }

                i = end < 0 ? n : end + 3;
            }
            else if (string.CompareOrdinal(text, i, "<?", 0, 2) == 0)
            {
                i = SkipPast(text, i + 2, "?>");
            }
            else if (string.CompareOrdinal(text, i, "<!", 0, 2) == 0)
            {
                i = SkipDeclaration(text, i + 2);
            }
            else if (i + 1 < n && text[i + 1] == '/')
            {
                i = CloseElement(text, i, open);
            }
            else if (i + 1 < n && IsNameStart(text[i + 1]))
            {
                i = OpenElement(text, i, open, names);
            }
            else
            {
                // A '<' that starts no tag is text, as an HTML parser would read it.
                if (open.Count > 1)
                {
                    open[^1].AppendText("<");
                }

                i++;
            }
        }

        for (var k = open.Count - 1; k > 0; k--)
        {
            open[k].InnerEnd = n;
        }

        return document;
    }

    private static int SkipPast(string text, int from, string terminator)
    {
        var end = text.IndexOf(terminator, from, StringComparison.Ordinal);
        return end < 0 ? text.Length : end + terminator.Length;
    }

    /// <summary>Skips &lt;!DOCTYPE …&gt; including an internal subset in brackets, honouring quotes.</summary>
    private static int SkipDeclaration(string text, int i)
    {
        var depth = 0;
        var quote = '\0';
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (c == '>' && depth == 0)
            {
                return i + 1;
            }
        }

        return text.Length;
    }

    private static int CloseElement(string text, int lt, List<FeedElement> open)
    {
        var nameStart = lt + 2;
        var nameEnd = nameStart;
        while (nameEnd < text.Length && !char.IsWhiteSpace(text[nameEnd]) && text[nameEnd] is not ('>' or '<'))
        {
            nameEnd++;
        }

        var gt = text.IndexOf('>', nameEnd);
        var next = gt < 0 ? text.Length : gt + 1;
        var nextTag = text.IndexOf('<', nameEnd);
        if (nextTag >= 0 && (gt < 0 || nextTag < gt))
        {
            next = nextTag;
        }

        var name = text.AsSpan(nameStart, nameEnd - nameStart);
        var match = FindOpen(open, name, StringComparison.Ordinal);
        if (match < 0)
        {
            match = FindOpen(open, name, StringComparison.OrdinalIgnoreCase);
        }

        if (match > 0)
        {
            // Closing an outer element also closes whatever was left open inside it.
            for (var k = open.Count - 1; k >= match; k--)
            {
                open[k].InnerEnd = lt;
            }

            open.RemoveRange(match, open.Count - match);
        }

        return next;
    }

    private static int FindOpen(List<FeedElement> open, ReadOnlySpan<char> name, StringComparison comparison)
    {
        for (var k = open.Count - 1; k > 0; k--)
        {
            var element = open[k];
            if (QualifiedNameEquals(element, name, comparison))
            {
                return k;
            }
        }

        return -1;
    }

    private static bool QualifiedNameEquals(FeedElement element, ReadOnlySpan<char> name, StringComparison comparison)
    {
        if (element.Prefix.Length == 0)
        {
            return name.Equals(element.LocalName, comparison);
        }

        return name.Length == element.Prefix.Length + 1 + element.LocalName.Length
            && name[..element.Prefix.Length].Equals(element.Prefix, comparison)
            && name[element.Prefix.Length] == ':'
            && name[(element.Prefix.Length + 1)..].Equals(element.LocalName, comparison);
    }

    private static int OpenElement(string text, int lt, List<FeedElement> open, NameTable names)
    {
        var n = text.Length;
        var i = lt + 1;
        var nameStart = i;
        while (i < n && !char.IsWhiteSpace(text[i]) && text[i] is not ('>' or '/' or '<'))
        {
            i++;
        }

        var qualified = text.AsSpan(nameStart, i - nameStart);
        var colon = qualified.IndexOf(':');
        var parent = open[^1];
        var element = colon > 0
            ? new FeedElement(text, names.Get(qualified[..colon]), names.Get(qualified[(colon + 1)..]), parent)
            : new FeedElement(text, string.Empty, names.Get(qualified), parent);

        var selfClosing = false;
        while (i < n)
        {
            var c = text[i];
            if (c == '>')
            {
                i++;
                break;
            }

            if (c == '<')
            {
                // An unterminated start tag: the next tag begins here.
                break;
            }

            if (c == '/' && i + 1 < n && text[i + 1] == '>')
            {
                selfClosing = true;
                i += 2;
                break;
            }

            if (char.IsWhiteSpace(c) || c == '/')
            {
                i++;
                continue;
            }

            i = ReadAttribute(text, i, element, names);
        }

        ApplyScope(element);
        element.InnerStart = i;
        parent.AddChild(element);
        if (selfClosing)
        {
            element.InnerEnd = i;
        }
        else
        {
            open.Add(element);
        }

        return i;
    }

    private static int ReadAttribute(string text, int i, FeedElement element, NameTable names)
    {
        var n = text.Length;
        var nameStart = i;
        while (i < n && !char.IsWhiteSpace(text[i]) && text[i] is not ('=' or '>' or '/' or '<'))
        {
            i++;
        }

        var name = names.Get(text.AsSpan(nameStart, i - nameStart));
        while (i < n && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        var value = string.Empty;
        if (i < n && text[i] == '=')
        {
            i++;
            while (i < n && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i < n && text[i] is '"' or '\'')
            {
                var quote = text[i];
                var end = text.IndexOf(quote, i + 1);
                if (end < 0)
                {
                    end = text.IndexOf('>', i + 1);
                    end = end < 0 ? n : end;
                }

                value = XmlEntities.Decode(text, i + 1, end);
                i = Math.Min(n, end + 1);
            }
            else
            {
                var start = i;
                while (i < n && !char.IsWhiteSpace(text[i]) && text[i] is not ('>' or '<'))
                {
                    i++;
                }

                value = XmlEntities.Decode(text, start, i);
            }
        }

        if (name.Length > 0)
        {
            (element.Attributes ??= []).Add(new(name, value));
        }

        return i;
    }

    /// <summary>Applies xmlns, xml:base and xml:lang, then resolves the element's own namespace.</summary>
    private static void ApplyScope(FeedElement element)
    {
        if (element.Attributes is not null)
        {
            Dictionary<string, NamespaceDeclaration>? declarations = null;
            foreach (var (name, value) in element.Attributes)
            {
                if (name == "xmlns")
                {
                    (declarations ??= [])[string.Empty] = new(value, FeedNamespaces.KeyOfUri(value));
                }
                else if (name.StartsWith("xmlns:", StringComparison.Ordinal))
                {
                    (declarations ??= [])[name[6..]] = new(value, FeedNamespaces.KeyOfUri(value));
                }
                else if (name == "xml:base")
                {
                    element.BaseUri = ResolveBase(element.BaseUri, value);
                }
                else if (name == "xml:lang")
                {
                    element.Language = value.Trim() is { Length: > 0 } lang ? lang : null;
                }
            }

            if (declarations is not null)
            {
                element.Scope = new NamespaceScope(declarations, element.Scope);
            }
        }

        var declaration = element.LookupDeclaration(element.Prefix);
        element.NamespaceUri = declaration?.Uri;
        element.Namespace = declaration is { Uri.Length: > 0 }
            ? declaration.Key
            : element.Prefix.Length > 0 ? FeedNamespaces.KeyOfUndeclaredPrefix(element.Prefix) : FeedNamespaces.None;
    }

    private static Uri? ResolveBase(Uri? current, string value)
    {
        return FeedLinks.Resolve(current, value) ?? current;
    }

    private static void AddText(FeedElement element, string text, int start, int end)
    {
        if (element.Parent is null)
        {
            // Text outside the root element is garbage or whitespace.
            return;
        }

        var allSpace = true;
        for (var k = start; k < end; k++)
        {
            if (!char.IsWhiteSpace(text[k]))
            {
                allSpace = false;
                break;
            }
        }

        if (!allSpace || !element.HasChildren)
        {
            element.AppendText(XmlEntities.Decode(text, start, end));
        }
    }

    private static bool IsNameStart(char c) => char.IsLetter(c) || c is '_' or ':';

    /// <summary>One string per distinct element or attribute name in a document, instead of one per occurrence.</summary>
    private sealed class NameTable
    {
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public NameTable() => _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();

        public string Get(ReadOnlySpan<char> name)
        {
            if (!_lookup.TryGetValue(name, out var interned))
            {
                interned = name.ToString();
                _names[interned] = interned;
            }

            return interned;
        }
    }
}

/// <summary>Entity decoding for XML text with HTML leniency.</summary>
internal static class XmlEntities
{
    /// <summary>The longest entity name looked at between '&amp;' and ';'.</summary>
    private const int MaxNameLength = 32;

    /// <summary>
    /// Decodes the five XML entities, character references and HTML named entities. Anything else (an undefined
    /// entity, a bare '&amp;') stays as written, as feedparser leaves it.
    /// </summary>
    public static string Decode(string text, int start, int end)
    {
        var amp = text.IndexOf('&', start, end - start);
        if (amp < 0)
        {
            return text[start..end];
        }

        // A decoded entity is never longer than its reference ("&#x10000;" gives two chars), so the source length
        // bounds the output: one pooled buffer, one final string.
        var buffer = ArrayPool<char>.Shared.Rent(end - start);
        var written = 0;
        var i = start;
        while (amp >= 0)
        {
            text.AsSpan(i, amp - i).CopyTo(buffer.AsSpan(written));
            written += amp - i;
            var semicolon = text.IndexOf(';', amp + 1, Math.Min(end - amp - 1, MaxNameLength + 1));
            var decoded = semicolon > amp + 1 ? DecodeEntity(text.AsSpan(amp + 1, semicolon - amp - 1), buffer.AsSpan(written)) : 0;
            if (decoded > 0)
            {
                written += decoded;
                i = semicolon + 1;
            }
            else
            {
                buffer[written++] = '&';
                i = amp + 1;
            }

            amp = i < end ? text.IndexOf('&', i, end - i) : -1;
        }

        text.AsSpan(i, end - i).CopyTo(buffer.AsSpan(written));
        written += end - i;
        var result = new string(buffer, 0, written);
        ArrayPool<char>.Shared.Return(buffer);
        return result;
    }

    /// <summary>
    /// Decodes the entity reference starting at <paramref name="amp"/> ('&amp;') into <paramref name="destination"/>
    /// (room for two chars). Returns the chars written and the length of the reference, or 0 when it is none.
    /// </summary>
    public static int DecodeReference(string text, int amp, Span<char> destination, out int referenceLength)
    {
        referenceLength = 0;
        var semicolon = text.IndexOf(';', amp + 1, Math.Min(text.Length - amp - 1, MaxNameLength + 1));
        if (semicolon <= amp + 1)
        {
            return 0;
        }

        var written = DecodeEntity(text.AsSpan(amp + 1, semicolon - amp - 1), destination);
        referenceLength = written > 0 ? semicolon + 1 - amp : 0;
        return written;
    }

    /// <summary>Writes the character(s) for an entity name (without '&amp;' and ';'); 0 when it is not one.</summary>
    private static int DecodeEntity(ReadOnlySpan<char> name, Span<char> destination)
    {
        switch (name)
        {
            case "lt":
                destination[0] = '<';
                return 1;
            case "gt":
                destination[0] = '>';
                return 1;
            case "amp":
                destination[0] = '&';
                return 1;
            case "quot":
                destination[0] = '"';
                return 1;
            case "apos":
                destination[0] = '\'';
                return 1;
        }

        if (name[0] == '#')
        {
            var isHex = name.Length > 1 && name[1] is 'x' or 'X';
            var digits = isHex ? name[2..] : name[1..];
            return int.TryParse(digits, isHex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                ? WriteCharacter(code, destination)
                : 0;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return 0;
            }
        }

        var entity = string.Concat("&", name, ";");
        var decoded = WebUtility.HtmlDecode(entity);
        if (decoded == entity || decoded.Length > destination.Length)
        {
            return 0;
        }

        decoded.CopyTo(destination);
        return decoded.Length;
    }

    /// <summary>Numeric references: C1 controls are read as windows-1252 as browsers do; invalid code points become U+FFFD.</summary>
    private static int WriteCharacter(int code, Span<char> destination)
    {
        if (code is >= 0x80 and <= 0x9F)
        {
            return FeedTextDecoder.Windows1252.GetChars([(byte)code], destination);
        }

        if (code is 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
        {
            destination[0] = '\uFFFD';
            return 1;
        }

        return new Rune(code).EncodeToUtf16(destination);
    }
}
