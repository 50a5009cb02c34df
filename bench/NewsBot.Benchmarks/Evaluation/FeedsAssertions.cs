using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NewsBot.Feeds.Parsing;
using NewsBot.Text;

namespace NewsBot.Benchmarks.Evaluation;

/// <summary>
/// Checks one corpus assertion against a view from <see cref="FeedsConformanceViews"/>. The result is pass, fail,
/// or not applicable with a category. The not-applicable rule depends only on what an assertion asks, never on
/// which case it belongs to, so it holds for the held-back part of the corpus too:
/// <list type="bullet">
/// <item>a key the view does not define is something NewsBot does not model; <see cref="CategoryOf"/> names it
/// (the bozo flag, HTTP/namespace internals, feedparser's *_detail metadata, GeoRSS, PSC chapters, iTunes/Media
/// extras, entry sources, people and link lists, channel metadata such as rights or generator);</item>
/// <item>feedparser's exact sanitised HTML: an equals/contains on text whose expected value holds markup
/// (NewsBot keeps titles and teasers as plain text and content HTML as given, and sanitises later);</item>
/// <item>the count of lists NewsBot keeps only the first of (links, authors, contributors, media);</item>
/// <item>values feed-rs generated itself (marked parserSpecific).</item>
/// </list>
/// Values compare by meaning: text after HTML-to-plain-text and whitespace folding, dates as instants,
/// URLs as parsed URIs, struct_time on its first six fields.
/// </summary>
internal static partial class FeedsAssertions
{
    public readonly record struct Outcome(bool Applicable, bool Passed, string? Category)
    {
        public static Outcome Pass => new(true, true, null);
        public static Outcome Fail => new(true, false, null);

        public static Outcome NotApplicable(string category) => new(false, false, category);
    }

    private static readonly HashSet<string> TextKeys = new(StringComparer.Ordinal)
    {
        "title", "subtitle", "summary", "description", "value", "content", "body", "author", "name", "content_html",
    };

    private static readonly HashSet<string> DateKeys = new(StringComparer.Ordinal)
    {
        "published", "updated", "pubDate", "publishedParsed", "updatedParsed", "date_published", "date_modified",
    };

    private static readonly HashSet<string> UrlKeys = new(StringComparer.Ordinal) { "link", "href", "url", "uri", "feedLink" };

    private static readonly HashSet<string> PartialLists = new(StringComparer.Ordinal) { "links", "authors", "contributors", "media" };

    private static readonly HashSet<string> FirstOnlyLists = new(StringComparer.Ordinal) { "authors", "contributors", "media" };

    private static readonly Dictionary<string, string> Categories = new(StringComparer.Ordinal)
    {
        ["bozo"] = "bozo_flag",
        ["bozo_exception"] = "bozo_flag",
        ["encoding"] = "encoding_label",
        ["headers"] = "http_and_namespace_internals",
        ["etag"] = "http_and_namespace_internals",
        ["status"] = "http_and_namespace_internals",
        ["href"] = "http_and_namespace_internals",
        ["namespaces"] = "http_and_namespace_internals",
        ["modified_parsed"] = "http_and_namespace_internals",
        ["where"] = "georss",
        ["psc_chapters"] = "psc_chapters",
        ["source"] = "entry_source",
        ["links"] = "people_and_link_lists",
        ["authors"] = "people_and_link_lists",
        ["contributors"] = "people_and_link_lists",
        ["author_detail"] = "people_and_link_lists",
        ["publisher"] = "people_and_link_lists",
        ["publisher_detail"] = "people_and_link_lists",
        ["media"] = "itunes_and_media_extras",
        ["guidislink"] = "feedparser_internals",
    };

    [GeneratedRegex(@"<[A-Za-z!/][^>]*>")]
    private static partial Regex Markup();

    /// <summary>What differs between suites.</summary>
    /// <param name="Aliases">feedparser's legacy key aliases; empty for the other suites.</param>
    /// <param name="TextIsSanitisedHtml">The suite's text values are sanitised HTML (feedparser).</param>
    /// <param name="IdsMayBeGenerated">The library invents an id when the document has none (feed-rs).</param>
    /// <param name="PlaceholderNames">
    /// Person names the library writes when it found none: feed-rs names an RSS author "author" and puts the whole
    /// "email (Name)" string in its email field.
    /// </param>
    public sealed record SuiteRules(IReadOnlyDictionary<string, string[]> Aliases, bool TextIsSanitisedHtml, bool IdsMayBeGenerated, IReadOnlySet<string> PlaceholderNames);

    public static Outcome Check(JsonNode view, JsonObject assertion, SuiteRules rules) => Check(view, assertion, rules, expandLinks: true);

    private static Outcome Check(JsonNode view, JsonObject assertion, SuiteRules rules, bool expandLinks)
    {
        var aliases = rules.Aliases;
        if (assertion["parserSpecific"] is not null)
        {
            return Outcome.NotApplicable("parser_generated_id");
        }

        var op = (string)assertion["op"]!;
        var parts = assertion["pathParts"]!.AsArray();
        var expected = assertion["value"];
        if (parts.Count > 0 && parts[^1] is JsonValue last && last.TryGetValue(out string? lastKey)
            && PartialLists.Contains(lastKey) && op == "length")
        {
            return Outcome.NotApplicable("people_and_link_lists");
        }

        var orderless = OrderlessIndex(parts);
        if (orderless >= 0 && expandLinks)
        {
            return CheckAnyElement(view, assertion, parts, orderless, rules);
        }

        if (PartialListIndex(parts))
        {
            return Outcome.NotApplicable("people_and_link_lists");
        }

        var target = Navigate(view, parts, aliases, out var category);
        if (category is not null)
        {
            return Outcome.NotApplicable(category);
        }

        var leaf = LeafKey(parts) is { } key && aliases.TryGetValue(key, out var mapped) ? mapped[0] : LeafKey(parts);
        if (op is "equals" or "notEquals" or "contains" or "notContains"
            && expected is JsonValue text && text.TryGetValue(out string? expectedText) && Markup().IsMatch(expectedText)
            && leaf is not null && TextKeys.Contains(leaf) && rules.TextIsSanitisedHtml)
        {
            return Outcome.NotApplicable("sanitised_html_markup");
        }

        if (leaf == "name" && expected is JsonValue placeholder && placeholder.TryGetValue(out string? name) && rules.PlaceholderNames.Contains(name))
        {
            return Outcome.NotApplicable("reference_placeholder");
        }

        if (rules.IdsMayBeGenerated && leaf == "id" && target is null)
        {
            return Outcome.NotApplicable("parser_generated_id");
        }

        var passed = op switch
        {
            "equals" => ValuesEqual(target, expected, leaf, assertion),
            "notEquals" => !ValuesEqual(target, expected, leaf, assertion),
            "truthy" => Truthy(target),
            "falsy" => !Truthy(target),
            "isNull" => target is null,
            "notNull" => target is not null,
            "hasKey" or "notHasKey" => HasKey(target, expected, op, out var keyCategory) is var has && keyCategory is null
                ? has
                : (bool?)null,
            "contains" => Contains(target, expected),
            "notContains" => !Contains(target, expected),
            "length" => Length(target) == expected?.GetValue<int>(),
            "equalsPath" or "notEqualsPath" => ComparePaths(view, target, assertion, aliases, leaf) is { } same
                ? same == (op == "equalsPath")
                : (bool?)null,
            _ => (bool?)null,
        };
        return passed switch
        {
            true => Outcome.Pass,
            false => Outcome.Fail,
            null => Outcome.NotApplicable("unsupported_assertion"),
        };
    }

    /// <summary>Position of an index into a list whose order NewsBot does not keep (links), or -1.</summary>
    private static int OrderlessIndex(JsonArray parts)
    {
        for (var i = 1; i < parts.Count; i++)
        {
            if (parts[i] is JsonValue index && index.TryGetValue(out int _) && parts[i - 1] is JsonValue key
                && key.TryGetValue(out string? name) && name == "links")
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>An element after the first of a list NewsBot keeps only the first of (authors, contributors, media).</summary>
    private static bool PartialListIndex(JsonArray parts)
    {
        for (var i = 1; i < parts.Count; i++)
        {
            if (parts[i] is JsonValue index && index.TryGetValue(out int position) && position != 0 && parts[i - 1] is JsonValue key
                && key.TryGetValue(out string? name) && FirstOnlyLists.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Links are compared as a set: the assertion holds when it holds for one of our links.</summary>
    private static Outcome CheckAnyElement(JsonNode view, JsonObject assertion, JsonArray parts, int indexAt, SuiteRules rules)
    {
        var aliases = rules.Aliases;
        var prefix = new JsonArray([.. parts.Take(indexAt).Select(p => p!.DeepClone())]);
        var list = Navigate(view, prefix, aliases, out var category);
        if (category is not null)
        {
            return Outcome.NotApplicable(category);
        }

        var count = list is JsonArray array ? array.Count : 0;
        var sawFailure = false;
        string? notApplicable = null;
        for (var i = 0; i < Math.Max(count, 1); i++)
        {
            var copy = assertion.DeepClone().AsObject();
            var copiedParts = copy["pathParts"]!.AsArray();
            copiedParts[indexAt] = i;
            var outcome = Check(view, copy, rules, expandLinks: false);
            if (outcome.Passed)
            {
                return Outcome.Pass;
            }

            sawFailure |= outcome.Applicable;
            notApplicable ??= outcome.Category;
        }

        return sawFailure || notApplicable is null ? Outcome.Fail : Outcome.NotApplicable(notApplicable);
    }

    private static bool? ComparePaths(JsonNode view, JsonNode? target, JsonObject assertion, IReadOnlyDictionary<string, string[]> aliases, string? leaf)
    {
        if (assertion["otherPathParts"] is not JsonArray other)
        {
            return null;
        }

        var otherValue = Navigate(view, other, aliases, out var category);
        return category is not null ? null : ValuesEqual(target, otherValue, leaf, assertion);
    }

    private static string? LeafKey(JsonArray parts)
    {
        for (var i = parts.Count - 1; i >= 0; i--)
        {
            if (parts[i] is JsonValue value && value.TryGetValue(out string? key))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>Follows the path; sets <paramref name="category"/> when it leaves the view's schema.</summary>
    private static JsonNode? Navigate(JsonNode view, JsonArray parts, IReadOnlyDictionary<string, string[]> aliases, out string? category)
    {
        category = null;
        JsonNode? current = view;
        foreach (var part in parts)
        {
            if (part is JsonValue value && value.TryGetValue(out int index))
            {
                if (current is not JsonArray list)
                {
                    return null;
                }

                index = index < 0 ? list.Count + index : index;
                if (index < 0 || index >= list.Count)
                {
                    // Missing element: still walk the first one's keys so an unmodelled key is told apart from a miss.
                    if (list.Count > 0 && Navigate(list[0]!, Remaining(parts, part), aliases, out category) is var _ && category is not null)
                    {
                        return null;
                    }

                    return null;
                }

                current = list[index];
                continue;
            }

            var key = (string)part!;
            if (current is not JsonObject obj)
            {
                return null;
            }

            var resolved = ResolveKey(obj, key, aliases);
            if (resolved is null)
            {
                category = CategoryOf(key);
                return null;
            }

            current = obj[resolved];
        }

        return current;
    }

    private static JsonArray Remaining(JsonArray parts, JsonNode? after)
    {
        var position = parts.IndexOf(after);
        return new JsonArray([.. parts.Skip(position + 1).Select(p => p!.DeepClone())]);
    }

    /// <summary>feedparser's FeedParserDict lookup: mapped key(s) first when present, then the key itself.</summary>
    private static string? ResolveKey(JsonObject obj, string key, IReadOnlyDictionary<string, string[]> aliases)
    {
        if (aliases.TryGetValue(key, out var mapped))
        {
            foreach (var candidate in mapped)
            {
                if (obj[candidate] is not null)
                {
                    return candidate;
                }
            }

            foreach (var candidate in mapped)
            {
                if (obj.ContainsKey(candidate))
                {
                    return candidate;
                }
            }
        }

        return obj.ContainsKey(key) ? key : null;
    }

    public static string CategoryOf(string key)
    {
        if (Categories.TryGetValue(key, out var category))
        {
            return category;
        }

        if (key.EndsWith("_detail", StringComparison.Ordinal) || key is "type" or "base" or "language" or "content_type")
        {
            return "content_detail_metadata";
        }

        if (key.StartsWith("itunes", StringComparison.Ordinal) || key.StartsWith("media", StringComparison.Ordinal)
            || key.StartsWith("georss", StringComparison.Ordinal) || key.Contains("Ext", StringComparison.Ordinal)
            || key is "extensions" || key.StartsWith("wfw", StringComparison.Ordinal) || key.StartsWith("slash", StringComparison.Ordinal))
        {
            return "itunes_and_media_extras";
        }

        return key is "rights" or "copyright" or "generator" or "docs" or "info" or "license" or "cloud" or "textinput"
            or "textInput" or "skipHours" or "skipDays" or "rating" or "ttl" or "icon" or "logo" or "image" or "webMaster"
            or "managingEditor" or "comments" or "created" or "expired" or "validity_start" or "validity_end"
            or "created_parsed" or "expired_parsed" or "validity_start_parsed" or "validity_end_parsed" or "width" or "height"
            or "domain" or "isPermalink" or "label" or "scheme"
            ? "channel_and_item_metadata"
            : "other_unmodelled";
    }

    private static bool ValuesEqual(JsonNode? actual, JsonNode? expected, string? leaf, JsonObject assertion)
    {
        if ((string?)assertion["valueType"] == "struct_time")
        {
            return actual is JsonArray a && expected is JsonArray e && a.Count >= 6 && e.Count >= 6
                && Enumerable.Range(0, 6).All(i => (int)a[i]! == (int)e[i]!);
        }

        if (expected is null || actual is null)
        {
            return IsEmpty(expected) && IsEmpty(actual);
        }

        if (actual is JsonValue && expected is JsonValue)
        {
            var a = Scalar(actual);
            var e = Scalar(expected);
            if (leaf is not null && DateKeys.Contains(leaf))
            {
                // At the reference's precision: to the tick when it gives a fraction of a second, else whole seconds.
                return FeedDateParser.Parse(a) is { } ad && FeedDateParser.Parse(e) is { } ed
                    ? ed.Ticks % TimeSpan.TicksPerSecond != 0 ? ad == ed : ad.ToUnixTimeSeconds() == ed.ToUnixTimeSeconds()
                    : a == e;
            }

            if (leaf is not null && UrlKeys.Contains(leaf))
            {
                return Uri.TryCreate(a, UriKind.Absolute, out var au) && Uri.TryCreate(e, UriKind.Absolute, out var eu) ? au == eu : a == e;
            }

            if (leaf is "language")
            {
                // BCP 47 tags are case-insensitive.
                return string.Equals(a, e, StringComparison.OrdinalIgnoreCase);
            }

            if (leaf is "version" or "feedVersion")
            {
                // gofeed reports the version as written, as NewsBot does; feedparser's names are compared coarsely.
                return a == e || a == CoarseVersion(e);
            }

            if (leaf is "author" && a is not null && e is not null && e.StartsWith(a + " (", StringComparison.Ordinal))
            {
                // feedparser appends the e-mail address ("Name (me@example.com)"); NewsBot keeps the name.
                return true;
            }

            return leaf is not null && TextKeys.Contains(leaf) ? PlainText(a) == PlainText(e) : a == e;
        }

        if (actual is JsonArray actualList && expected is JsonArray expectedList)
        {
            return actualList.Count == expectedList.Count
                && actualList.Zip(expectedList).All(pair => ValuesEqual(pair.First, pair.Second, leaf, []));
        }

        if (actual is JsonObject actualObject && expected is JsonObject expectedObject)
        {
            // Only the keys we model are compared; the rest of a reference object is not in our model.
            return expectedObject.All(pair => !actualObject.ContainsKey(pair.Key)
                || ValuesEqual(actualObject[pair.Key], pair.Value, pair.Key, []));
        }

        return false;
    }

    /// <summary>feedparser's sub-version names the feedparser view does not tell apart: RSS 0.90–0.94, JSON Feed 1.0 and 1.1.</summary>
    private static string? CoarseVersion(string? version) => version switch
    {
        ['r', 's', 's', '0', '9', ..] => "rss09x",
        "json1" or "json10" or "json11" => "json1",
        _ => version,
    };

    private static bool IsEmpty(JsonNode? node) => node is null || (node is JsonValue v && Scalar(v) is "" or null);

    private static string? Scalar(JsonNode node) => node is JsonValue value
        ? value.TryGetValue(out string? s) ? s : node.ToJsonString()
        : node.ToJsonString();

    /// <summary>Plain text, decoded twice: references disagree on whether escaped markup ("&amp;lt;p&amp;gt;") is text or HTML.</summary>
    private static string PlainText(string? value) =>
        HtmlText.ToPlainText(HtmlText.ToPlainText(value))?.Replace('\n', ' ') ?? string.Empty;

    private static bool Truthy(JsonNode? node) => node switch
    {
        null => false,
        JsonArray list => list.Count > 0,
        JsonObject obj => obj.Count > 0,
        JsonValue value when value.TryGetValue(out bool b) => b,
        JsonValue value when value.TryGetValue(out string? s) => s.Length > 0,
        JsonValue value when value.TryGetValue(out double d) => d != 0,
        _ => true,
    };

    private static bool HasKey(JsonNode? target, JsonNode? key, string op, out string? category)
    {
        category = null;
        var name = (string?)key;
        if (target is not JsonObject obj || name is null)
        {
            return op == "notHasKey";
        }

        if (!obj.ContainsKey(name))
        {
            category = CategoryOf(name);
            return false;
        }

        var present = obj[name] is not null;
        return op == "hasKey" ? present : !present;
    }

    private static bool Contains(JsonNode? target, JsonNode? expected)
    {
        var needle = expected is null ? null : Scalar(expected);
        return target is not null && needle is not null && (Scalar(target) ?? string.Empty).Contains(needle, StringComparison.Ordinal);
    }

    private static int? Length(JsonNode? node) => node switch
    {
        JsonArray list => list.Count,
        JsonObject obj => obj.Count,
        JsonValue value when value.TryGetValue(out string? s) => s.Length,
        null => 0,
        _ => null,
    };
}
