using System.Text;

namespace NewsBot.Reading;

/// <summary>
/// Bounds how deep markup nests before AngleSharp sees it. The HTML tree builder walks its stack of open elements
/// (and its list of active formatting elements) for most tags, so its time grows with the square of the depth:
/// 100,000 nested &lt;i&gt; take 27 s to parse, and a page of a few MB of unclosed tags would take minutes. Real pages
/// stay far below <see cref="MaxDepth"/>; past it, start tags (and the end tags that match them) are dropped and their
/// text is kept, so the page flattens instead of sinking. Formatting elements left open are re-opened by the tree
/// builder in every later paragraph, so they are bounded too (<see cref="MaxFormatting"/>); dropping them loses no text.
/// Past <see cref="MaxElements"/> every start tag goes: the extractor's passes over the tree are linear, but 100,000
/// links still took seconds. Pages within the limits come back as the same string.
/// </summary>
/// <remarks>
/// A light tokenizer with the stack rules of the HTML Living Standard's tree builder (§13.2.6) that decide depth:
/// void and raw text elements, implied end tags (p, li, dd/dt, table parts, option), &lt;a&gt; closing an open
/// &lt;a&gt;, end tags that stop at special elements, the list of active formatting elements with its limit of three
/// alike. Where it differs from the tree builder, it counts more (no markers, attributes compared as written), never
/// arbitrarily less, so no markup slips past the limits.
/// </remarks>
internal static class NestingFlattener
{
    public const int MaxDepth = 400;

    public const int MaxFormatting = 16;

    /// <summary>Real article pages hold a few thousand elements (the corpus: 4,300 at most).</summary>
    public const int MaxElements = 25_000;

    /// <summary>The formatting elements (§13.2.4.3): remembered while open and re-opened after a block closes them.</summary>
    private static readonly HashSet<string> Formatting = new(StringComparer.Ordinal) { "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u" };

    /// <summary>Void elements (§13.1.2) and the legacy ones the tree builder treats alike.</summary>
    private static readonly HashSet<string> Void = new(StringComparer.Ordinal)
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "image", "input", "keygen", "link", "meta",
        "param", "source", "track", "wbr",
    };

    /// <summary>Elements whose content is text up to their end tag (RAWTEXT and RCDATA; noscript is markup without scripting).</summary>
    private static readonly HashSet<string> RawText = new(StringComparer.Ordinal) { "script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title" };

    /// <summary>The "special" category (§13.2.4.2): an end tag that meets one of these before its match is ignored.</summary>
    private static readonly HashSet<string> Special = new(StringComparer.Ordinal)
    {
        "address", "applet", "article", "aside", "blockquote", "button", "caption", "center", "colgroup", "dd", "details", "dir", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hgroup", "li", "listing", "main", "marquee", "menu", "nav", "noscript", "object", "ol", "p", "plaintext", "pre", "search",
        "section", "select", "summary", "table", "tbody", "td", "template", "tfoot", "th", "thead", "tr", "ul", "foreignobject", "desc",
        "mi", "mo", "mn", "ms", "mtext", "annotation-xml",
    };

    /// <summary>Elements that end the "button scope" a p is looked up in (§13.2.4.2), and most other scopes.</summary>
    private static readonly HashSet<string> ScopeBoundaries = new(StringComparer.Ordinal)
    {
        "applet", "caption", "table", "td", "th", "marquee", "object", "template", "button", "foreignobject", "desc", "mi", "mo", "mn", "ms", "mtext", "annotation-xml", "svg", "math",
    };

    /// <summary>Start tags that close an open p first (§13.2.6.4.7).</summary>
    private static readonly HashSet<string> ClosesParagraph = new(StringComparer.Ordinal)
    {
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset", "figcaption", "figure",
        "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p", "search", "section", "summary", "ul", "h1", "h2", "h3", "h4", "h5",
        "h6", "pre", "listing", "form", "li", "dd", "dt",
    };

    /// <summary>HTML start tags that end foreign content (§13.2.6.5); the tree builder pops out of svg or math for them.</summary>
    private static readonly HashSet<string> BreaksOutOfForeignContent = new(StringComparer.Ordinal)
    {
        "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "font", "h1", "h2", "h3", "h4",
        "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span",
        "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var",
    };

    /// <summary>Foreign elements whose content is HTML again (§13.2.6.5, "HTML integration point" and "MathML text integration point").</summary>
    private static readonly HashSet<string> IntegrationPoints = new(StringComparer.Ordinal)
    {
        "foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml",
    };

    private static readonly HashSet<string> ListItemScope = [.. ScopeBoundaries, "ol", "ul"];

    /// <summary>What stops the search for an li, dd or dt to close: special elements but address, div and p.</summary>
    private static readonly HashSet<string> ListItemStops = [.. Special.Except(["address", "div", "p"])];

    private static readonly HashSet<string> CellStops = new(StringComparer.Ordinal) { "tr", "table" };
    private static readonly HashSet<string> RowStops = new(StringComparer.Ordinal) { "tbody", "thead", "tfoot", "table" };
    private static readonly HashSet<string> SectionStops = new(StringComparer.Ordinal) { "table" };

    public static string Flatten(string html, int maxDepth = MaxDepth, int maxElements = MaxElements)
    {
        var elements = 0;
        var open = new OpenElements();
        var active = new List<(string Name, string Key)>();
        Dictionary<string, int>? dropped = null;
        StringBuilder? flattened = null;
        var copied = 0;
        var i = 0;
        while ((i = html.IndexOf('<', i)) >= 0 && i + 1 < html.Length)
        {
            var start = i;
            if (html[i + 1] is '!' or '?')
            {
                i = EndOfDeclaration(html, i);
                continue;
            }

            var isEnd = html[i + 1] == '/';
            var nameStart = isEnd ? i + 2 : i + 1;
            if (nameStart >= html.Length || !char.IsAsciiLetter(html[nameStart]))
            {
                // "<" followed by anything but a letter is text; "</" followed by it a bogus comment up to ">".
                i = isEnd ? After(html, '>', nameStart) : i + 1;
                continue;
            }

            var nameEnd = nameStart;
            while (nameEnd < html.Length && html[nameEnd] is not ('>' or '/' or ' ' or '\t' or '\n' or '\r' or '\f'))
            {
                nameEnd++;
            }

            var name = html[nameStart..nameEnd].ToLowerInvariant();
            (i, var selfClosing) = EndOfTag(html, nameEnd);
            if (isEnd)
            {
                if (dropped is not null && dropped.GetValueOrDefault(name) is > 0 and var count)
                {
                    dropped[name] = count - 1;
                    Drop(start, i);
                }
                else
                {
                    // A special element's end tag closes what its scope holds; any other stops at a special element.
                    CloseTo(open, name, name == "li" ? ListItemScope : Special.Contains(name) ? ScopeBoundaries : Special);
                    Forget(active, name);
                }

                continue;
            }

            if (RawText.Contains(name))
            {
                i = EndOfRawText(html, i, name);
                continue;
            }

            if (name == "plaintext")
            {
                // Everything after it is text.
                break;
            }

            if (name is "html" or "head" or "body")
            {
                // Merged into the document's own: they neither nest nor add elements.
                continue;
            }

            // "<path/>" closes itself only as an svg or math element; on an HTML element the slash is ignored.
            var foreign = name is "svg" or "math" || (open.InForeignContent && !BreaksOutOfForeignContent.Contains(name));
            var opens = !Void.Contains(name) && !(selfClosing && foreign);
            if (opens)
            {
                CloseImplied(open, active, name);
            }

            var formatting = Formatting.Contains(name);
            if (elements < maxElements && !(opens && open.Count >= maxDepth) && !(formatting && active.Count >= MaxFormatting))
            {
                elements++;
                if (opens)
                {
                    open.Push(name, foreign);
                }

                if (formatting)
                {
                    Remember(active, name, html[nameStart..i]);
                }
            }
            else
            {
                if (opens)
                {
                    dropped ??= new(StringComparer.Ordinal);
                    dropped[name] = dropped.GetValueOrDefault(name) + 1;
                }

                Drop(start, i);
            }
        }

        return flattened is null ? html : flattened.Append(html, copied, html.Length - copied).ToString();

        void Drop(int from, int to)
        {
            flattened ??= new StringBuilder(html.Length);
            flattened.Append(html, copied, from - copied);
            copied = to;
        }
    }

    /// <summary>What a start tag closes before it opens (§13.2.6.4.7 and the table insertion modes).</summary>
    private static void CloseImplied(OpenElements open, List<(string Name, string Key)> active, string name)
    {
        switch (name)
        {
            case "li":
                CloseTo(open, "li", ListItemStops);
                break;
            case "dd" or "dt":
                CloseTo(open, "dd", ListItemStops);
                CloseTo(open, "dt", ListItemStops);
                break;
            case "td" or "th":
                CloseTo(open, "td", CellStops);
                CloseTo(open, "th", CellStops);
                break;
            case "tr":
                CloseTo(open, "tr", RowStops);
                break;
            case "tbody" or "thead" or "tfoot":
                CloseTo(open, "tbody", SectionStops);
                CloseTo(open, "thead", SectionStops);
                CloseTo(open, "tfoot", SectionStops);
                break;
            case "a" or "nobr":
                // They cannot nest: an open one is closed first (the adoption agency keeps the elements above it).
                Forget(active, name);
                open.RemoveLast(name);
                break;
            case "option" or "optgroup":
                if (open.Top == "option")
                {
                    open.RemoveFrom(open.Count - 1);
                }

                break;
        }

        if (ClosesParagraph.Contains(name))
        {
            CloseTo(open, "p", ScopeBoundaries);
        }
    }

    /// <summary>Adds a formatting element to the active list; a fourth one alike pushes out the earliest (the "Noah's Ark" clause).</summary>
    private static void Remember(List<(string Name, string Key)> active, string name, string key)
    {
        var earliest = -1;
        var alike = 0;
        for (var at = active.Count - 1; at >= 0; at--)
        {
            if (active[at].Key == key)
            {
                earliest = at;
                alike++;
            }
        }

        if (alike == 3)
        {
            active.RemoveAt(earliest);
        }

        active.Add((name, key));
    }

    private static void Forget(List<(string Name, string Key)> active, string name)
    {
        for (var at = active.Count - 1; at >= 0; at--)
        {
            if (active[at].Name == name)
            {
                active.RemoveAt(at);
                return;
            }
        }
    }

    /// <summary>Pops up to and including the nearest open <paramref name="name"/>, unless a stopping element comes first.</summary>
    private static void CloseTo(OpenElements open, string name, HashSet<string> stops)
    {
        for (var at = open.Contains(name) ? open.Count - 1 : -1; at >= 0; at--)
        {
            if (open[at] == name)
            {
                open.RemoveFrom(at);
                return;
            }

            if (stops.Contains(open[at]))
            {
                return;
            }
        }
    }

    /// <summary>The index after a tag's closing "&gt;", skipping quoted attribute values; whether it ended in "/&gt;".</summary>
    private static (int End, bool SelfClosing) EndOfTag(string html, int i)
    {
        while (i < html.Length)
        {
            switch (html[i])
            {
                case '>':
                    return (i + 1, html[i - 1] == '/');
                case '=':
                    i++;
                    while (i < html.Length && char.IsWhiteSpace(html[i]))
                    {
                        i++;
                    }

                    if (i < html.Length && html[i] is '"' or '\'')
                    {
                        var close = html.IndexOf(html[i], i + 1);
                        i = close < 0 ? html.Length : close + 1;
                    }

                    break;
                default:
                    i++;
                    break;
            }
        }

        return (html.Length, false);
    }

    /// <summary>The index after a comment ("&lt;!--" to "--&gt;"), or after the "&gt;" of a doctype, CDATA or processing instruction.</summary>
    private static int EndOfDeclaration(string html, int i)
    {
        if (string.CompareOrdinal(html, i, "<!--", 0, 4) != 0)
        {
            return After(html, '>', i);
        }

        var end = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
        return end < 0 ? html.Length : end + 3;
    }

    /// <summary>The index of the end tag that ends a raw text element's content, or the end of the page.</summary>
    private static int EndOfRawText(string html, int i, string name)
    {
        while ((i = html.IndexOf("</", i, StringComparison.Ordinal)) >= 0)
        {
            var after = i + 2 + name.Length;
            if (string.Compare(html, i + 2, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (after >= html.Length || html[after] is '>' or '/' or ' ' or '\t' or '\n' or '\r' or '\f'))
            {
                return i;
            }

            i += 2;
        }

        return html.Length;
    }

    private static int After(string html, char c, int i)
    {
        var at = html.IndexOf(c, i);
        return at < 0 ? html.Length : at + 1;
    }

    /// <summary>The stack of open elements with a count per name, so a tag whose element is not open costs no walk down the stack.</summary>
    private sealed class OpenElements
    {
        private readonly List<(string Name, bool Foreign)> _elements = [];
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

        public int Count => _elements.Count;

        public string? Top => _elements.Count > 0 ? _elements[^1].Name : null;

        /// <summary>Whether a new element would be an svg or math one: the current node is, and is no integration point.</summary>
        public bool InForeignContent => _elements is [.., (var name, true)] && !IntegrationPoints.Contains(name);

        public string this[int index] => _elements[index].Name;

        public bool Contains(string name) => _counts.GetValueOrDefault(name) > 0;

        public void Push(string name, bool foreign)
        {
            _elements.Add((name, foreign));
            _counts[name] = _counts.GetValueOrDefault(name) + 1;
        }

        public void RemoveFrom(int index)
        {
            for (var at = index; at < _elements.Count; at++)
            {
                _counts[_elements[at].Name]--;
            }

            _elements.RemoveRange(index, _elements.Count - index);
        }

        public void RemoveLast(string name)
        {
            if (Contains(name))
            {
                _counts[name]--;
                _elements.RemoveAt(_elements.FindLastIndex(element => element.Name == name));
            }
        }
    }
}
