using System.Buffers;

namespace NewsBot.Text;

/// <summary>
/// HTML (or text with entities) to plain text in one pass: tags dropped, script/style/comments removed with their
/// content, entities decoded, whitespace folded, block elements and &lt;br&gt; turned into line breaks.
/// </summary>
public static class HtmlText
{
    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table", "section",
        "article", "header", "footer", "pre", "hr", "dd", "dt", "dl", "figure", "figcaption", "aside", "nav",
    };

    private static readonly HashSet<string> InlineElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "b", "i", "em", "strong", "span", "u", "s", "small", "sub", "sup", "font", "abbr", "code", "mark", "q",
        "cite", "time", "del", "ins", "kbd", "var", "bdi", "bdo", "wbr",
    };

    /// <summary>Characters that need a decision; everything between them is copied as one run.</summary>
    private static readonly SearchValues<char> Special = SearchValues.Create(
        "<&\u00A0\u0085\u2028\u2029 \t\n\v\f\r\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F");

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Blocks = BlockElements.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Inlines = InlineElements.GetAlternateLookup<ReadOnlySpan<char>>();

    public static string? ToPlainText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return null;
        }

        var output = new PlainTextBuilder(html.Length);
        Span<char> decoded = stackalloc char[2];
        var n = html.Length;
        var i = 0;
        while (i < n)
        {
            var c = html[i];
            if (c == '<')
            {
                i = SkipMarkup(html, i, ref output);
            }
            else if (c == '&')
            {
                var written = XmlEntities.DecodeReference(html, i, decoded, out var referenceLength);
                if (written > 0)
                {
                    foreach (var d in decoded[..written])
                    {
                        output.Append(d);
                    }

                    i += referenceLength;
                }
                else
                {
                    output.Append('&');
                    i++;
                }
            }
            else
            {
                var run = html.AsSpan(i).IndexOfAny(Special);
                if (run == 0)
                {
                    output.Append(c);
                    i++;
                }
                else
                {
                    var length = run < 0 ? n - i : run;
                    output.AppendRun(html.AsSpan(i, length));
                    i += length;
                }
            }
        }

        return output.ToTextAndRelease();
    }

    public static string Truncate(this string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', maxLength - 1, Math.Min(maxLength - 1, 40));
        return (cut > 0 ? text[..cut] : text[..(maxLength - 1)]).TrimEnd() + "…";
    }

    /// <summary>Skips a tag, comment or script/style element starting at '&lt;'; a '&lt;' that starts no tag is text.</summary>
    private static int SkipMarkup(string html, int lt, ref PlainTextBuilder output)
    {
        var n = html.Length;
        if (string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0)
        {
            // An unclosed comment hides the rest, as in a browser.
            var end = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
            output.Space();
            return end < 0 ? n : end + 3;
        }

        var j = lt + 1;
        var closing = j < n && html[j] == '/';
        if (closing)
        {
            j++;
        }

        if (j >= n || !(char.IsAsciiLetter(html[j]) || html[j] is '!' or '?'))
        {
            output.Append('<');
            return lt + 1;
        }

        var nameStart = j;
        while (j < n && (char.IsAsciiLetterOrDigit(html[j]) || html[j] is ':' or '-'))
        {
            j++;
        }

        var name = html.AsSpan(nameStart, j - nameStart);
        var gt = html.IndexOf('>', j);
        if (gt < 0)
        {
            return n;
        }

        var next = gt + 1;
        if (!closing && (name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("style", StringComparison.OrdinalIgnoreCase)))
        {
            var end = html.AsSpan(next).IndexOf("</" + name.ToString(), StringComparison.OrdinalIgnoreCase);
            if (end < 0)
            {
                return n;
            }

            var close = html.IndexOf('>', next + end);
            next = close < 0 ? n : close + 1;
        }

        if (Blocks.Contains(name))
        {
            output.LineBreak();
        }
        else if (!Inlines.Contains(name))
        {
            output.Space();
        }

        return next;
    }

    /// <summary>
    /// Collects text with folded whitespace: runs of spaces become one, line breaks win over spaces. The text is
    /// never longer than the HTML it comes from, so one pooled buffer of that size holds it.
    /// </summary>
    private struct PlainTextBuilder(int capacity)
    {
        private char[] _text = ArrayPool<char>.Shared.Rent(capacity);
        private int _length;
        private int _pending; // 0 none, 1 space, 2 line break

        public void Space() => _pending = Math.Max(_pending, 1);

        public void LineBreak() => _pending = 2;

        public void Append(char c)
        {
            if (char.IsWhiteSpace(c) || c == '\u00A0')
            {
                Space();
                return;
            }

            // C0 controls are not allowed in XML 1.0 text and only garble output.
            if (char.IsControl(c))
            {
                return;
            }

            AppendRun(new ReadOnlySpan<char>(in c));
        }

        /// <summary>Characters known to be neither whitespace nor control characters.</summary>
        public void AppendRun(ReadOnlySpan<char> run)
        {
            Reserve(run.Length + 1);
            if (_pending != 0 && _length > 0)
            {
                _text[_length++] = _pending == 2 ? '\n' : ' ';
            }

            _pending = 0;
            run.CopyTo(_text.AsSpan(_length));
            _length += run.Length;
        }

        /// <summary>The text collected (null when none); the builder must not be used afterwards.</summary>
        public string? ToTextAndRelease()
        {
            var text = _length == 0 ? null : new string(_text, 0, _length);
            ArrayPool<char>.Shared.Return(_text);
            _text = [];
            return text;
        }

        private void Reserve(int extra)
        {
            if (_length + extra <= _text.Length)
            {
                return;
            }

            var larger = ArrayPool<char>.Shared.Rent(Math.Max(_text.Length * 2, _length + extra));
            _text.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<char>.Shared.Return(_text);
            _text = larger;
        }
    }
}
