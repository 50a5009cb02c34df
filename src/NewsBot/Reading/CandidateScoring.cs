using AngleSharp.Dom;

namespace NewsBot.Reading;

/// <summary>
/// Chooses the elements that hold the article: text blocks score their ancestors, the best-scoring container wins,
/// and siblings that look like more of the same article join it.
/// </summary>
internal static class CandidateScoring
{
    private const int AncestorLevels = 5;
    private const int MinBlockLength = 25;

    public static IReadOnlyList<IElement> Choose(IElement body, BlockStats stats, string? articleBody)
    {
        var scores = new Dictionary<IElement, double>(ReferenceEqualityComparer.Instance);
        var normalizedBody = articleBody is { Length: > 200 } ? Normalize(articleBody) : null;
        foreach (var (block, counts, loose) in TextBlocks(body, stats))
        {
            if (counts.Text < MinBlockLength)
            {
                continue;
            }

            double score = 1 + counts.Commas + Math.Min(counts.Text / 100, 3);
            if (normalizedBody is not null)
            {
                // Blocks the page's JSON-LD articleBody also contains are article text; others probably are not.
                var text = Normalize(loose ? LooseText(block) : block.TextContent);
                score *= normalizedBody.Contains(text[..Math.Min(text.Length, 80)], StringComparison.Ordinal) ? 3 : 0.5;
            }

            // Loose text sits directly in its container, which is then the first ancestor to score.
            var ancestor = loose ? block : block.ParentElement;
            for (var level = 0; level < AncestorLevels && ancestor is not null; level++, ancestor = ancestor == body ? null : ancestor.ParentElement)
            {
                if (!scores.TryGetValue(ancestor, out var current))
                {
                    current = InitialScore(ancestor);
                }

                scores[ancestor] = current + (score / (level == 0 ? 1 : level == 1 ? 2 : level * 3));
            }
        }

        if (scores.Count == 0)
        {
            return [body];
        }

        var ranked = scores
            .Select(pair => (Element: pair.Key, Score: pair.Value * (1 - stats[pair.Key].LinkDensity)))
            .OrderByDescending(candidate => candidate.Score)
            .Take(5)
            .ToList();
        var (top, topScore) = ranked[0];
        top = SharedAncestor(ranked, top, topScore, body);
        while (top.ParentElement is { } parent && parent != body && parent.Children.Length == 1)
        {
            top = parent;
        }

        return WithSiblings(top, scores, stats, body);
    }

    /// <summary>When several top candidates sit in one container, the article is that container (split-up articles).</summary>
    private static IElement SharedAncestor(List<(IElement Element, double Score)> ranked, IElement top, double topScore, IElement body)
    {
        var strong = ranked.Skip(1).Where(candidate => candidate.Score >= topScore * 0.75).Select(candidate => candidate.Element).ToList();
        if (strong.Count < 2)
        {
            return top;
        }

        for (var ancestor = top.ParentElement; ancestor is not null && ancestor != body; ancestor = ancestor.ParentElement)
        {
            if (strong.Count(candidate => ancestor.Contains(candidate)) >= 2)
            {
                return ancestor;
            }
        }

        return top;
    }

    private static List<IElement> WithSiblings(IElement top, Dictionary<IElement, double> scores, BlockStats stats, IElement body)
    {
        if (top == body || top.ParentElement is not { } parent)
        {
            return [top];
        }

        if (RepeatedChunks(top, scores, body) is { } chunks)
        {
            return chunks;
        }

        var topScore = scores.GetValueOrDefault(top) * (1 - stats[top].LinkDensity);
        var threshold = Math.Max(10, topScore * 0.2);
        var topClass = top.GetAttribute("class");
        var chosen = new List<IElement>();
        foreach (var sibling in parent.Children)
        {
            if (sibling == top)
            {
                chosen.Add(sibling);
                continue;
            }

            var bonus = !string.IsNullOrEmpty(topClass) && sibling.GetAttribute("class") == topClass ? topScore * 0.2 : 0;
            var counts = stats[sibling];
            var score = scores.TryGetValue(sibling, out var own) ? own * (1 - counts.LinkDensity) : 0;
            if (score + bonus >= threshold || (sibling.LocalName == "p" && IsTextParagraph(sibling, counts)))
            {
                chosen.Add(sibling);
            }
        }

        return chosen;
    }

    /// <summary>
    /// Articles split into repeated containers (e.g. a body "chunk" between ad rails): when a container of the
    /// winner, one or two levels up, has scored siblings with the same class, all of them are the article.
    /// </summary>
    private static List<IElement>? RepeatedChunks(IElement top, Dictionary<IElement, double> scores, IElement body)
    {
        var container = top.ParentElement;
        for (var level = 0; level < 2 && container is not null && container != body && container.ParentElement is { } parent && parent != body; level++)
        {
            var className = container.GetAttribute("class");
            if (!string.IsNullOrWhiteSpace(className))
            {
                var chunks = parent.Children.Where(child => child == container || (child.GetAttribute("class") == className && scores.ContainsKey(child))).ToList();
                if (chunks.Count > 1)
                {
                    return chunks;
                }
            }

            container = parent;
        }

        return null;
    }

    private static bool IsTextParagraph(IElement paragraph, BlockStats.Counts counts)
    {
        if (counts.Text > 80)
        {
            return counts.LinkDensity < 0.25;
        }

        var text = paragraph.TextContent.TrimEnd();
        return counts.Text > 0 && counts.LinkText == 0 && text.Length > 0 && text[^1] is '.' or '!' or '?' or '。' or '！' or '？';
    }

    /// <summary>
    /// Elements holding running text: paragraphs, cells, preformatted text and divs with only inline content;
    /// plus "loose" text (text and inline elements directly inside a container that also has blocks), as in
    /// pages that separate paragraphs with br only.
    /// </summary>
    private static IEnumerable<(IElement Block, BlockStats.Counts Counts, bool Loose)> TextBlocks(IElement body, BlockStats stats)
    {
        foreach (var element in body.Descendants<IElement>())
        {
            switch (element.LocalName)
            {
                case "p" or "pre" or "td":
                    yield return (element, stats[element], false);
                    break;
                case "div" or "section" or "article" or "main":
                    if (!HasBlockChild(element))
                    {
                        yield return (element, stats[element], false);
                    }
                    else if (LooseCounts(element, stats) is { Text: > 0 } loose)
                    {
                        yield return (element, loose, true);
                    }

                    break;
            }
        }
    }

    private static BlockStats.Counts LooseCounts(IElement container, BlockStats stats)
    {
        var total = default(BlockStats.Counts);
        foreach (var child in container.ChildNodes)
        {
            if (child is IText text)
            {
                total += new BlockStats.Counts(ArticleExtractor.WeightedLength(text.Data), 0, ArticleExtractor.CommaCount(text.Data), 0, 0, 0, 0);
            }
            else if (child is IElement element && !ArticleExtractor.Tags.IsBlock(element.LocalName))
            {
                total += stats[element];
            }
        }

        return total;
    }

    private static string LooseText(IElement container) => string.Concat(container.ChildNodes
        .Where(child => child is IText || (child is IElement element && !ArticleExtractor.Tags.IsBlock(element.LocalName)))
        .Select(child => child.TextContent));

    private static bool HasBlockChild(IElement element)
    {
        foreach (var child in element.Children)
        {
            if (ArticleExtractor.Tags.IsBlock(child.LocalName))
            {
                return true;
            }
        }

        return false;
    }

    private static double InitialScore(IElement element)
    {
        var tagScore = element.LocalName switch
        {
            "div" or "article" or "main" => 5,
            "pre" or "td" or "blockquote" => 3,
            "address" or "ol" or "ul" or "dl" or "dd" or "dt" or "li" or "form" => -3,
            "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "th" => -5,
            _ => 0,
        };
        return tagScore + Boilerplate.ClassWeight(element);
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
