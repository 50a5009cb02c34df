namespace NewsBot.Feeds.Parsing;

/// <summary>
/// One element of a feed document as <see cref="LenientXmlReader"/> recovered it. Namespaces are reduced to
/// short well-known keys (see <see cref="FeedNamespaces"/>) so format readers match on (key, local name).
/// </summary>
internal sealed class FeedElement
{
    private string? _text;
    private System.Text.StringBuilder? _textParts;
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

    /// <summary>Decoded character data directly inside this element (CDATA included).</summary>
    public string Text
    {
        get
        {
            if (_textParts is not null)
            {
                // Reading starts once the document is complete: join the runs once.
                _text = _textParts.ToString();
                _textParts = null;
            }

            return _text ?? string.Empty;
        }
    }

    /// <summary>The source between the start and end tag, unchanged (entities still escaped).</summary>
    public string InnerMarkup => InnerEnd > InnerStart ? new string(Source, InnerStart, InnerEnd - InnerStart) : string.Empty;

    /// <summary>
    /// The element's value: its text, or, when it holds elements (unescaped HTML or XHTML), its markup as written.
    /// </summary>
    public string Value => HasChildren ? InnerMarkup : Text;

    public void SetChildren(ReadOnlySpan<FeedElement> children) => _children = children.ToArray();

    public void AppendText(string text)
    {
        if (_text is null)
        {
            _text = text;
        }
        else
        {
            // Many text runs (text between child elements): collect them instead of copying the whole each time.
            (_textParts ??= new System.Text.StringBuilder(_text)).Append(text);
        }
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
