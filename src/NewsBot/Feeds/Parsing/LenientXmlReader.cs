using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using NewsBot.Text;

namespace NewsBot.Feeds.Parsing;

/// <summary>
/// A forgiving XML tokenizer that recovers what a feed reader would from ill-formed documents: unclosed and
/// misnested tags, stray '&amp;' and '&lt;', HTML named entities, garbage before the root. It never processes a
/// DOCTYPE: the internal subset is skipped whole, so declared entities (billion laughs) and external entities
/// (XXE) are never expanded and nothing is ever fetched.
/// </summary>
internal static class LenientXmlReader
{
    /// <summary>
    /// Parses the first <paramref name="length"/> characters of <paramref name="source"/> into a synthetic document
    /// element whose children are the top-level elements.
    /// </summary>
    public static FeedElement Read(char[] source, int length, Uri? baseUri)
    {
        var text = new ReadOnlySpan<char>(source, 0, length);
        var document = new FeedElement(source, string.Empty, "#document", null) { BaseUri = baseUri };
        var open = new OpenElements(document);
        var names = new NameTable();
        var i = 0;
        var n = text.Length;
        while (i < n)
        {
            var lt = IndexOf(text, '<', i);
            if (lt < 0)
            {
                AddText(open.Innermost, text, i, n);
                break;
            }

            if (lt > i)
            {
                AddText(open.Innermost, text, i, lt);
            }

            i = lt;
            var rest = text[i..];
            if (rest.StartsWith("<!--"))
            {
                i = SkipPast(text, i + 4, "-->");
            }
            else if (rest.StartsWith("<![CDATA["))
            {
                var end = IndexOf(text, "]]>", i + 9);
                var stop = end < 0 ? n : end;
                if (open.Count > 1)
                {
                    open.Innermost.AddTextRun(i + 9, stop - i - 9, isCData: true);
                }

                i = end < 0 ? n : end + 3;
            }
            else if (rest.StartsWith("<?"))
            {
                i = SkipPast(text, i + 2, "?>");
            }
            else if (rest.StartsWith("<!"))
            {
                i = SkipDeclaration(text, i + 2);
            }
            else if (i + 1 < n && text[i + 1] == '/')
            {
                i = CloseElement(text, i, open);
            }
            else if (i + 1 < n && IsNameStart(text[i + 1]))
            {
                i = OpenElement(source, text, i, open, names);
            }
            else
            {
                // A '<' that starts no tag is text, as an HTML parser would read it.
                if (open.Count > 1)
                {
                    open.Innermost.AddTextRun(i, 1, isCData: false);
                }

                i++;
            }
        }

        open.CloseFrom(0, n);
        return document;
    }

    private static int SkipPast(ReadOnlySpan<char> text, int from, string terminator)
    {
        var end = IndexOf(text, terminator, from);
        return end < 0 ? text.Length : end + terminator.Length;
    }

    private static int IndexOf(ReadOnlySpan<char> text, char value, int from)
    {
        var found = text[from..].IndexOf(value);
        return found < 0 ? -1 : from + found;
    }

    private static int IndexOf(ReadOnlySpan<char> text, string value, int from)
    {
        var found = text[from..].IndexOf(value, StringComparison.Ordinal);
        return found < 0 ? -1 : from + found;
    }

    /// <summary>Skips &lt;!DOCTYPE …&gt; including an internal subset in brackets, honouring quotes.</summary>
    private static int SkipDeclaration(ReadOnlySpan<char> text, int i)
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

    private static int CloseElement(ReadOnlySpan<char> text, int lt, OpenElements open)
    {
        var nameStart = lt + 2;
        var nameEnd = nameStart;
        while (nameEnd < text.Length && !char.IsWhiteSpace(text[nameEnd]) && text[nameEnd] is not ('>' or '<'))
        {
            nameEnd++;
        }

        var gt = IndexOf(text, '>', nameEnd);
        var next = gt < 0 ? text.Length : gt + 1;
        var nextTag = IndexOf(text, '<', nameEnd);
        if (nextTag >= 0 && (gt < 0 || nextTag < gt))
        {
            next = nextTag;
        }

        var name = text[nameStart..nameEnd];
        var match = FindOpen(open, name, StringComparison.Ordinal);
        if (match < 0)
        {
            match = FindOpen(open, name, StringComparison.OrdinalIgnoreCase);
        }

        if (match > 0)
        {
            // Closing an outer element also closes whatever was left open inside it.
            open.CloseFrom(match, lt);
        }

        return next;
    }

    private static int FindOpen(OpenElements open, ReadOnlySpan<char> name, StringComparison comparison)
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

    private static int OpenElement(char[] source, ReadOnlySpan<char> text, int lt, OpenElements open, NameTable names)
    {
        var n = text.Length;
        var i = lt + 1;
        var nameStart = i;
        while (i < n && !char.IsWhiteSpace(text[i]) && text[i] is not ('>' or '/' or '<'))
        {
            i++;
        }

        var qualified = text[nameStart..i];
        var colon = qualified.IndexOf(':');
        var parent = open.Innermost;
        var element = colon > 0
            ? new FeedElement(source, names.Get(qualified[..colon]), names.Get(qualified[(colon + 1)..]), parent)
            : new FeedElement(source, string.Empty, names.Get(qualified), parent);

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
        open.AddChild(element);
        if (selfClosing)
        {
            element.InnerEnd = i;
        }
        else
        {
            open.Open(element);
        }

        return i;
    }

    private static int ReadAttribute(ReadOnlySpan<char> text, int i, FeedElement element, NameTable names)
    {
        var n = text.Length;
        var nameStart = i;
        while (i < n && !char.IsWhiteSpace(text[i]) && text[i] is not ('=' or '>' or '/' or '<'))
        {
            i++;
        }

        var name = names.Get(text[nameStart..i]);
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
                var end = IndexOf(text, quote, i + 1);
                if (end < 0)
                {
                    end = IndexOf(text, '>', i + 1);
                    end = end < 0 ? n : end;
                }

                value = XmlEntities.Decode(text[(i + 1)..end]);
                i = Math.Min(n, end + 1);
            }
            else
            {
                var start = i;
                while (i < n && !char.IsWhiteSpace(text[i]) && text[i] is not ('>' or '<'))
                {
                    i++;
                }

                value = XmlEntities.Decode(text[start..i]);
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

    private static void AddText(FeedElement element, ReadOnlySpan<char> text, int start, int end)
    {
        // Text outside the root element is garbage or whitespace; whitespace between child elements is layout.
        if (element.Parent is not null && (!element.HasChildren || !text[start..end].IsWhiteSpace()))
        {
            element.AddTextRun(start, end - start, isCData: false);
        }
    }

    private static bool IsNameStart(char c) => char.IsLetter(c) || c is '_' or ':';

    /// <summary>
    /// The elements open at the current position, innermost last, with the children read so far: children wait on
    /// one shared stack and become an exact-size array when their parent closes, instead of a growing list each.
    /// </summary>
    private sealed class OpenElements
    {
        private readonly List<FeedElement> _open = [];
        private readonly List<int> _firstChild = [];
        private readonly List<FeedElement> _children = [];

        public OpenElements(FeedElement document) => Open(document);

        public int Count => _open.Count;

        public FeedElement Innermost => _open[^1];

        public FeedElement this[int depth] => _open[depth];

        public void Open(FeedElement element)
        {
            _open.Add(element);
            _firstChild.Add(_children.Count);
        }

        public void AddChild(FeedElement child)
        {
            Innermost.HasChildren = true;
            _children.Add(child);
        }

        /// <summary>Closes the element at <paramref name="depth"/> and every element inside it, ending at <paramref name="innerEnd"/>.</summary>
        public void CloseFrom(int depth, int innerEnd)
        {
            for (var k = _open.Count - 1; k >= depth; k--)
            {
                var element = _open[k];
                var first = _firstChild[k];
                if (k > 0)
                {
                    element.InnerEnd = innerEnd;
                }

                if (first < _children.Count)
                {
                    element.SetChildren(CollectionsMarshal.AsSpan(_children)[first..]);
                    _children.RemoveRange(first, _children.Count - first);
                }
            }

            _open.RemoveRange(depth, _open.Count - depth);
            _firstChild.RemoveRange(depth, _firstChild.Count - depth);
        }
    }

    /// <summary>One string per distinct element or attribute name in a document, instead of one per occurrence.</summary>
    private sealed class NameTable
    {
        // A feed uses a few dozen distinct names: sized once instead of grown.
        private readonly Dictionary<string, string> _names = new(64, StringComparer.Ordinal);
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
