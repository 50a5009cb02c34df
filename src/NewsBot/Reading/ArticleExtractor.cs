using System.Net.Mime;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using NewsBot.Text;

namespace NewsBot.Reading;

/// <summary>
/// Finds the article text, metadata, related links and topic links of a news page. Stateless and thread-safe:
/// every call parses its own document.
/// </summary>
/// <remarks>
/// The text is found readability-style: boilerplate is pruned by markup (nav, aside, hidden, class/id hints),
/// text blocks give scores to their ancestors (length, commas, link density, JSON-LD articleBody agreement),
/// the best container and its good siblings are kept, and inside them link lists and short fragments are dropped.
/// Lengths count characters, with CJK characters counting double, so pages without spaces score like others.
/// </remarks>
public sealed partial class ArticleExtractor
{
    private const int MinTextForFirstPass = 250;

    private static readonly HtmlParserOptions ParserOptions = new() { IsScripting = false };

    /// <summary>Decodes the page (a BOM, else the content type's charset, else a meta charset; UTF-8 otherwise) and extracts it.</summary>
    public ExtractedArticle Extract(ReadOnlySpan<byte> content, string? contentType, Uri? pageUrl) =>
        Extract(HtmlDecoding.Decode(content, contentType), pageUrl);

    public ExtractedArticle Extract(string html, Uri? pageUrl)
    {
        ArgumentNullException.ThrowIfNull(html);
        html = NestingFlattener.Flatten(html);
        var document = new HtmlParser(ParserOptions).ParseDocument(html);
        var baseUri = BaseUriOf(document, pageUrl);
        var metadata = PageMetadata.Read(document, baseUri);
        var links = RelatedLinkFinder.Find(document, baseUri, pageUrl, metadata.CanonicalUrl);

        var paragraphs = document.Body is { } body ? ContentOf(body, metadata, strict: true) : [];
        if (TextLength(paragraphs) < MinTextForFirstPass && document.Body is not null)
        {
            // Class and id hints can be wrong on small or unusual pages: try again from a fresh copy without them.
            var retry = ContentOf(new HtmlParser(ParserOptions).ParseDocument(html).Body!, metadata, strict: false);
            if (TextLength(retry) > TextLength(paragraphs))
            {
                paragraphs = retry;
            }
        }

        if (metadata.ArticleBody is { } articleBody && HtmlText.ToPlainText(articleBody) is { } bodyText
            && bodyText.Length > 2 * TextLength(paragraphs) && bodyText.Length > 200)
        {
            // The markup hid or truncated the text (paywalls, script-rendered bodies) but the page's own JSON-LD has it.
            paragraphs = [.. bodyText.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        }

        return new ExtractedArticle
        {
            Title = metadata.Title,
            Byline = metadata.Byline,
            Published = metadata.Published,
            ImageUrl = metadata.ImageUrl,
            Language = metadata.Language,
            CanonicalUrl = metadata.CanonicalUrl,
            Paragraphs = paragraphs,
            Related = links.Related,
            TopicCandidates = links.Topics.Concat(metadata.Keywords).DistinctBy(topic => topic.ToUpperInvariant()).ToList(),
        };
    }

    private static int TextLength(IReadOnlyList<string> paragraphs) => paragraphs.Sum(paragraph => paragraph.Length);

    private static Uri? BaseUriOf(IDocument document, Uri? pageUrl)
    {
        var href = document.QuerySelector("base[href]")?.GetAttribute("href");
        if (string.IsNullOrWhiteSpace(href))
        {
            return pageUrl;
        }

        return Uri.TryCreate(href.Trim(), UriKind.Absolute, out var absolute) ? absolute
            : pageUrl is not null && Uri.TryCreate(pageUrl, href.Trim(), out var relative) ? relative
            : pageUrl;
    }

    private static List<string> ContentOf(IElement body, PageMetadata metadata, bool strict)
    {
        Boilerplate.Prune(body, strict);
        var stats = BlockStats.Measure(body);
        var roots = CandidateScoring.Choose(body, stats, metadata.ArticleBody);
        return TextEmitter.Emit(roots, stats, metadata.Title);
    }

    /// <summary>
    /// Turns the chosen subtrees into paragraphs: one per block element, link lists and fragments left out, repeats kept once.
    /// A heading is kept only when text follows it, so the title of a dropped widget ("More stories") does not linger.
    /// </summary>
    private sealed class TextEmitter(BlockStats stats, HashSet<string> titleWords)
    {
        // Share of a heading's words found in the title above which the heading is the title again.
        private const double SameAsTitle = 0.75;

        private readonly List<string> _paragraphs = [];
        private readonly List<(string Text, IElement? Scope)> _pendingHeadings = [];
        // Each paragraph's text and the container of the block it came from.
        private readonly Dictionary<string, IElement?> _seen = new(StringComparer.Ordinal);
        private readonly StringBuilder _current = new();

        public static List<string> Emit(IReadOnlyList<IElement> roots, BlockStats stats, string? title)
        {
            var emitter = new TextEmitter(stats, WordsOf(title ?? string.Empty).ToHashSet(StringComparer.Ordinal));
            foreach (var root in roots)
            {
                emitter.Walk(root, root, root);
                emitter.Flush(heading: false, root);
            }

            return emitter._paragraphs;
        }

        // block: the innermost block element around the node, whose text is being gathered.
        private void Walk(INode node, IElement root, IElement block)
        {
            if (node is IText text)
            {
                AppendCollapsed(text.Data);
                return;
            }

            if (node is not IElement element)
            {
                return;
            }

            var tag = element.LocalName;
            if (tag is "br" or "hr")
            {
                Flush(heading: false, block);
                return;
            }

            if ((tag == "h1" && IsTitle(element)) || (element != root && Boilerplate.IsWeakBlock(element, stats)))
            {
                return;
            }

            var isBlock = Tags.IsBlock(tag);
            if (isBlock)
            {
                Flush(heading: false, block);
            }

            foreach (var child in element.ChildNodes)
            {
                Walk(child, root, isBlock ? element : block);
            }

            if (isBlock)
            {
                Flush(heading: tag is "h1" or "h2" or "h3" or "h4" or "h5" or "h6", element);
            }
        }

        private void AppendCollapsed(string text)
        {
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    if (_current.Length > 0 && _current[^1] != ' ')
                    {
                        _current.Append(' ');
                    }
                }
                else
                {
                    _current.Append(c);
                }
            }
        }

        private void Flush(bool heading, IElement block)
        {
            var paragraph = _current.ToString().Trim();
            _current.Clear();
            if (paragraph.Length == 0 || Boilerplate.IsBoilerplateLine(paragraph))
            {
                return;
            }

            var scope = block.ParentElement;
            if (heading)
            {
                _pendingHeadings.Add((paragraph, scope));
                return;
            }

            if (IsNew(paragraph, scope))
            {
                _paragraphs.AddRange(_pendingHeadings.Where(pending => IsNew(pending.Text, pending.Scope)).Select(pending => pending.Text));
                _paragraphs.Add(paragraph);
                _pendingHeadings.Clear();
            }
        }

        /// <summary>The headline is metadata, not text; an h1 that says something else is a section heading (Readability keeps it too).</summary>
        private bool IsTitle(IElement heading)
        {
            var words = WordsOf(heading.TextContent);
            return words.Count == 0 || words.Count(titleWords.Contains) >= SameAsTitle * words.Count;
        }

        private static List<string> WordsOf(string text) => Word().Matches(text).Select(match => match.Value.ToLowerInvariant()).ToList();

        /// <summary>
        /// A page may repeat its text in another container (mobile copy, share card, print version): keep the first.
        /// Blocks that repeat among their own siblings are the author's text (a refrain, a repeated instruction), kept.
        /// </summary>
        private bool IsNew(string paragraph, IElement? scope)
        {
            if (_seen.TryGetValue(paragraph, out var firstScope))
            {
                return firstScope == scope;
            }

            _seen.Add(paragraph, scope);
            return true;
        }
    }

    internal static class Tags
    {
        private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
        {
            "address", "article", "blockquote", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3",
            "h4", "h5", "h6", "header", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "th", "thead", "tr", "ul",
        };

        public static bool IsBlock(string tag) => Blocks.Contains(tag);
    }

    /// <summary>Whitespace-free length in characters, CJK counting double (one CJK character carries about a word).</summary>
    internal static int WeightedLength(string text)
    {
        var length = 0;
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                length += IsCjk(c) ? 2 : 1;
            }
        }

        return length;
    }

    internal static bool IsCjk(char c) => c is (>= '\u2E80' and <= '\u9FFF') or (>= '\uAC00' and <= '\uD7AF') or (>= '\uF900' and <= '\uFAFF') or (>= '\uFF00' and <= '\uFFEF');

    internal static int CommaCount(string text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (c is ',' or '，' or '、' or '،')
            {
                count++;
            }
        }

        return count;
    }

    [GeneratedRegex(@"\w+")]
    private static partial Regex Word();

    [GeneratedRegex(@"\bcharset\s*=\s*[""']?([\w\-:]+)", RegexOptions.IgnoreCase)]
    private static partial Regex CharsetPattern();

    /// <summary>Bytes to text in the HTML standard's order of evidence: BOM, HTTP charset, meta charset in the first 2 KB, else UTF-8.</summary>
    private static class HtmlDecoding
    {
        public static string Decode(ReadOnlySpan<byte> content, string? contentType)
        {
            var encoding = FromBom(content, out var bomLength) ?? FromName(CharsetOf(contentType)) ?? FromName(MetaCharset(content)) ?? Encoding.UTF8;
            return encoding.GetString(content[bomLength..]);
        }

        private static string? CharsetOf(string? contentType)
        {
            if (string.IsNullOrWhiteSpace(contentType))
            {
                return null;
            }

            try
            {
                return new ContentType(contentType).CharSet;
            }
            catch (FormatException)
            {
                // Malformed header: fall back to the body's own declaration.
                return null;
            }
        }

        private static string? MetaCharset(ReadOnlySpan<byte> content)
        {
            var head = Encoding.ASCII.GetString(content[..Math.Min(content.Length, 2048)]);
            var match = CharsetPattern().Match(head);
            return match.Success ? match.Groups[1].Value : null;
        }

        private static Encoding? FromBom(ReadOnlySpan<byte> content, out int length)
        {
            (var encoding, length) = content switch
            {
                [0xEF, 0xBB, 0xBF, ..] => (Encoding.UTF8, 3),
                [0xFF, 0xFE, ..] => (Encoding.Unicode, 2),
                [0xFE, 0xFF, ..] => (Encoding.BigEndianUnicode, 2),
                _ => ((Encoding?)null, 0),
            };
            return encoding;
        }

        private static Encoding? FromName(string? name)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                return null;
            }

            try
            {
                return Encoding.GetEncoding(name);
            }
            catch (ArgumentException)
            {
                // Legacy code pages live in the code-pages provider; unknown names fall through to the next source.
                return CodePagesEncodingProvider.Instance.GetEncoding(name);
            }
        }
    }
}
