using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace NewsBot.Reading;

/// <summary>Rules for what is not article text: by element, role, visibility and class/id words, and for short lines.</summary>
internal static partial class Boilerplate
{
    private static readonly HashSet<string> DroppedTags = new(StringComparer.Ordinal)
    {
        "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "button", "input", "select",
        "textarea", "nav", "aside", "footer", "dialog", "link", "meta", "menu", "label", "option",
    };

    private static readonly HashSet<string> DroppedRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        "navigation", "complementary", "banner", "contentinfo", "dialog", "alertdialog", "menu", "menubar", "search", "alert",
    };

    /// <summary>Removes what is never article text. Strict mode also trusts class/id words; the fallback pass does not.</summary>
    public static void Prune(IElement element, bool strict)
    {
        // A copy of the list, as dropped children leave it while the loop runs.
        foreach (var child in element.Children.ToList())
        {
            if (IsDropped(child, strict))
            {
                child.Remove();
            }
            else
            {
                Prune(child, strict);
            }
        }
    }

    /// <summary>Class/id words as a score: +25 for content-like words, -25 for boilerplate-like ones.</summary>
    public static int ClassWeight(IElement element)
    {
        var names = NamesOf(element);
        if (names.Length == 0)
        {
            return 0;
        }

        var weight = 0;
        if (Negative().IsMatch(names))
        {
            weight -= 25;
        }

        if (Positive().IsMatch(names))
        {
            weight += 25;
        }

        return weight;
    }

    /// <summary>A block inside the chosen content that is a link list, a widget or a fragment rather than text.</summary>
    public static bool IsWeakBlock(IElement element, BlockStats stats)
    {
        var tag = element.LocalName;
        if (tag == "header" || (tag == "figure" && element.QuerySelector("blockquote, pre, table, ol, ul") is null))
        {
            // Inside an article a header holds its title, byline and dateline, and a figure an image with its caption and
            // credit: not running text (news extraction benchmarks leave captions out). A figure around a quote, a
            // listing, a table or a list is text and goes through the rules below.
            return true;
        }

        var counts = stats[element];
        if (tag is not ("div" or "section" or "ul" or "ol" or "table" or "form" or "figure" or "figcaption" or "dl" or "article" or "p" or "span"))
        {
            return false;
        }

        if (counts.Text == 0)
        {
            return counts.Images == 0 && counts.Embeds == 0;
        }

        var weight = ClassWeight(element);
        if (weight < 0 && counts.Commas < 10)
        {
            return true;
        }

        if (counts.Commas >= 10)
        {
            return false;
        }

        var linkLimit = weight > 0 ? 0.5 : tag == "p" ? 0.6 : 0.33;
        if (counts.LinkDensity > linkLimit)
        {
            return true;
        }

        return tag != "p" && tag != "span" && counts.ListItems > counts.Paragraphs && tag is not ("ul" or "ol") && counts.LinkDensity > 0.2;
    }

    /// <summary>Lines that are UI labels, not text ("Advertisement", "Share this article", "Read more").</summary>
    public static bool IsBoilerplateLine(string paragraph) => paragraph.Length < 40 && UiLabel().IsMatch(paragraph);

    private static bool IsDropped(IElement element, bool strict)
    {
        var tag = element.LocalName;
        if (DroppedTags.Contains(tag) || element.HasAttribute("hidden"))
        {
            return true;
        }

        if (element.GetAttribute("aria-hidden") == "true" || (element.GetAttribute("role") is { } role && DroppedRoles.Contains(role)))
        {
            return true;
        }

        if (element.GetAttribute("style") is { } style && HiddenStyle().IsMatch(style))
        {
            return true;
        }

        if (!strict || tag is "body" or "article" or "main" or "a" or "p" or "h2" or "h3" or "h4" or "li" or "td" or "tr" or "tbody" or "table")
        {
            return false;
        }

        var names = NamesOf(element);
        return names.Length > 0
            && (Widget().IsMatch(names) || (Unlikely().IsMatch(names) && !Positive().IsMatch(names) && !HoldsParagraphs(element)));
    }

    /// <summary>Layout wrappers get names like "with-sidebar" too: an element holding several long paragraphs is not a widget.</summary>
    private static bool HoldsParagraphs(IElement element)
    {
        var count = 0;
        foreach (var paragraph in element.GetElementsByTagName("p"))
        {
            if (paragraph.TextContent.Length > 80 && ++count >= 3)
            {
                return true;
            }
        }

        return false;
    }

    private static string NamesOf(IElement element)
    {
        var className = element.GetAttribute("class");
        var id = element.Id;
        return string.IsNullOrEmpty(id) ? className ?? string.Empty : $"{className} {id}";
    }

    [GeneratedRegex(@"display\s*:\s*none|visibility\s*:\s*hidden", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenStyle();

    // Always boilerplate, whatever else the element is called.
    [GeneratedRegex(@"share|sharing|social|newsletter|cookie|consent|gdpr|comment|disqus|outbrain|taboola|trending|most-?read|most-?popular|mostpopular|mostread|related|recommend|subscribe|signup|sign-up|promo|advert|\bads?\b|\bad-|-ad\b|adslot|ad-slot|sponsor|paywall-?(?:message|prompt|offer)|breadcrumb|print-only|skip-?link|sr-only|visually-?hidden|screen-?reader", RegexOptions.IgnoreCase)]
    private static partial Regex Widget();

    // Probably boilerplate unless the names also say content.
    [GeneratedRegex(@"banner|combx|community|cover-wrap|extra|foot|header|masthead|legends|menu|remark|replies|rss|shoutbox|sidebar|side-bar|skyscraper|supplemental|agegate|pagination|pager|popup|modal|overlay|toolbar|tools|widget|byline|dateline|author|meta|caption|credit|tags|topics|keywords|more-from|read-?more|next-?article", RegexOptions.IgnoreCase)]
    private static partial Regex Unlikely();

    [GeneratedRegex(@"article|body|content|entry|main|post|story|text|blog|column|prose|hentry", RegexOptions.IgnoreCase)]
    private static partial Regex Positive();

    [GeneratedRegex(@"comment|meta|foot|footnote|masthead|media|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|byline|author|social|newsletter|subscribe|advert|banner|menu|nav", RegexOptions.IgnoreCase)]
    private static partial Regex Negative();

    [GeneratedRegex(@"^\W*(advertisement|advertising|advert|anzeige|publicité|publicidad|publicidade|sponsored( content)?|share( this( article| story)?)?( on \w+)?|read more|continue reading|read the full (story|article)|click here|(\d+ )?comments?|leave a (comment|reply)|post a comment|print|e-?mail|tweet|facebook|whatsapp|this (slideshow|video|content) requires javascript\.?|图片|广告)\W*$", RegexOptions.IgnoreCase)]
    private static partial Regex UiLabel();
}
