using NewsBot.Text;

namespace NewsBot.Feeds.Parsing;

/// <summary>
/// One element of a feed document as <see cref="LenientXmlReader"/> recovered it. Namespaces are reduced to
/// short well-known keys (see <see cref="FeedNamespaces"/>) so format readers match on (key, local name).
/// </summary>
internal sealed class FeedElement
{
    private TextRun _firstRun;
    private List<TextRun>? _moreRuns;
    private string? _text;
    private FeedElement[]? _children;

    public FeedElement(char[] source, string prefix, string localName, FeedElement? parent)
    {
        Source = source;
        Prefix = prefix;
        LocalName = localName;
        Parent = parent;
        BaseUri = parent?.BaseUri;
        Scope = parent?.Scope;
        Language = parent?.Language;
    }

    /// <summary>The decoded document (pooled: valid while the document is being read), for <see cref="InnerMarkup"/>.</summary>
    private char[] Source { get; }

    public string Prefix { get; }
    public string LocalName { get; }
    public FeedElement? Parent { get; }

    /// <summary>Namespace key: "" for none, a short name for well-known vocabularies, else the URI.</summary>
    public string Namespace { get; set; } = string.Empty;

    /// <summary>The namespace URI as declared (null when none or undeclared).</summary>
    public string? NamespaceUri { get; set; }

    /// <summary>Attributes with their namespace prefix kept ("xml:base", "rdf:about").</summary>
    public List<KeyValuePair<string, string>>? Attributes { get; set; }

    /// <summary>Prefix → namespace URI declarations in scope: this element's, chained to its ancestors'.</summary>
    public NamespaceScope? Scope { get; set; }

    /// <summary>xml:base in effect here, resolved against every enclosing base and the document URI.</summary>
    public Uri? BaseUri { get; set; }

    /// <summary>xml:lang in effect here.</summary>
    public string? Language { get; set; }

    public int InnerStart { get; set; }
    public int InnerEnd { get; set; } = -1;

    public ReadOnlySpan<FeedElement> Children => _children;

    /// <summary>Whether any element was read inside this one (known while reading, before the children are set).</summary>
    public bool HasChildren { get; set; }

    /// <summary>Decoded character data directly inside this element (CDATA included), decoded on first use.</summary>
    public string Text => _text ??= DecodeRuns();

    /// <summary>Whether the element holds any character data (what <c>Text.Length &gt; 0</c> says, without decoding).</summary>
    public bool HasText => _firstRun.Length > 0 || _moreRuns is not null;

    /// <summary>The source between the start and end tag, unchanged (entities still escaped).</summary>
    public string InnerMarkup => InnerEnd > InnerStart ? new string(Source, InnerStart, InnerEnd - InnerStart) : string.Empty;

    /// <summary>
    /// The element's value: its text, or, when it holds elements (unescaped HTML or XHTML), its markup as written.
    /// </summary>
    public string Value => HasChildren ? InnerMarkup : Text;

    public void SetChildren(ReadOnlySpan<FeedElement> children) => _children = children.ToArray();

    /// <summary>Notes a run of character data in <see cref="Source"/>; it is decoded only if the text is read.</summary>
    public void AddTextRun(int start, int length, bool isCData)
    {
        if (length == 0)
        {
            return;
        }

        if (_firstRun.Length == 0)
        {
            _firstRun = new TextRun(start, length, isCData);
        }
        else
        {
            (_moreRuns ??= []).Add(new TextRun(start, length, isCData));
        }
    }

    /// <summary>
    /// The value trimmed, or null when that leaves nothing: what <c>Value.Trim()</c> gives, built without an
    /// untrimmed copy when the text has not been read yet.
    /// </summary>
    public string? TrimmedValue()
    {
        if (HasChildren)
        {
            var markup = InnerEnd > InnerStart ? Source.AsSpan(InnerStart, InnerEnd - InnerStart).Trim() : [];
            return markup.IsEmpty ? null : markup.ToString();
        }

        if (_text is null && _moreRuns is null)
        {
            var run = Source.AsSpan(_firstRun.Start, _firstRun.Length).Trim();
            if (run.IsEmpty)
            {
                return null;
            }

            // Raw text can still start or end with whitespace written as a character reference.
            var trimmed = _firstRun.IsCData ? run.ToString() : XmlEntities.Decode(run);
            return trimmed.AsSpan().Trim().Length == trimmed.Length ? trimmed : XmlFeedValues.NonEmpty(trimmed);
        }

        return XmlFeedValues.NonEmpty(Text);
    }

    private string DecodeRuns()
    {
        if (_moreRuns is null)
        {
            var run = Source.AsSpan(_firstRun.Start, _firstRun.Length);
            return _firstRun.IsCData ? run.ToString() : XmlEntities.Decode(run);
        }

        var length = _firstRun.Length;
        foreach (var run in _moreRuns)
        {
            length += run.Length;
        }

        // Decoding never lengthens text, so the runs' source length bounds the result.
        var buffer = System.Buffers.ArrayPool<char>.Shared.Rent(length);
        var written = DecodeRun(_firstRun, buffer);
        foreach (var run in _moreRuns)
        {
            written += DecodeRun(run, buffer.AsSpan(written));
        }

        var text = new string(buffer, 0, written);
        System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        return text;
    }

    private int DecodeRun(TextRun run, Span<char> destination)
    {
        var source = Source.AsSpan(run.Start, run.Length);
        if (run.IsCData)
        {
            source.CopyTo(destination);
            return source.Length;
        }

        return XmlEntities.DecodeInto(source, destination);
    }

    public string? Attribute(string name)
    {
        if (Attributes is null)
        {
            return null;
        }

        foreach (var (key, value) in Attributes)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    public bool Is(string ns, string localName) =>
        string.Equals(LocalName, localName, StringComparison.OrdinalIgnoreCase) && Namespace == ns;

    public FeedElement? Child(string ns, string localName)
    {
        foreach (var child in Children)
        {
            if (child.Is(ns, localName))
            {
                return child;
            }
        }

        return null;
    }

    /// <summary>The children with this (namespace key, local name), enumerated without allocating.</summary>
    public NamedChildren ChildrenNamed(string ns, string localName) => new(_children, ns, localName);

    public string? LookupNamespace(string prefix) => LookupDeclaration(prefix)?.Uri;

    public NamespaceDeclaration? LookupDeclaration(string prefix)
    {
        for (var scope = Scope; scope is not null; scope = scope.Parent)
        {
            if (scope.Declarations.TryGetValue(prefix, out var declaration))
            {
                return declaration;
            }
        }

        return null;
    }
}

/// <summary>Where a run of character data lies in the source; CDATA is taken as written, other text has entities.</summary>
internal readonly record struct TextRun(int Start, int Length, bool IsCData);

/// <summary>The children of an element with one name, for <c>foreach</c>.</summary>
internal readonly struct NamedChildren(FeedElement[]? children, string ns, string localName)
{
    public Enumerator GetEnumerator() => new(children, ns, localName);

    public ref struct Enumerator(ReadOnlySpan<FeedElement> children, string ns, string localName)
    {
        private readonly ReadOnlySpan<FeedElement> _children = children;
        private int _index = -1;

        public readonly FeedElement Current => _children[_index];

        public bool MoveNext()
        {
            while (++_index < _children.Length)
            {
                if (_children[_index].Is(ns, localName))
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>A declared namespace URI with its <see cref="FeedNamespaces"/> key, worked out once per declaration.</summary>
internal sealed record NamespaceDeclaration(string Uri, string Key);

/// <summary>
/// The xmlns declarations of one element, linked to the enclosing ones: lookups walk only declaring elements,
/// so deeply nested documents stay linear.
/// </summary>
internal sealed record NamespaceScope(Dictionary<string, NamespaceDeclaration> Declarations, NamespaceScope? Parent);
