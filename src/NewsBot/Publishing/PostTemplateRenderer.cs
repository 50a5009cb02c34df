using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Fluid;
using NewsBot.Model;

namespace NewsBot.Publishing;

/// <summary>The text a template rendered, or why it could not.</summary>
public sealed record TemplateRendering(string? Text, string? Error)
{
    public static TemplateRendering Failed(string error) => new(null, error);
}

/// <summary>
/// Renders subscription templates with Fluid (Liquid without file, include or reflection access: only the values
/// given here can be read). Placeholders: title, link, summary, source, author, published (in the channel's zone),
/// published_at (for the date filter), topics, related and also_covered_by (lists of title + link), image, id.
/// </summary>
public sealed partial class PostTemplateRenderer
{
    /// <summary>Loops over feed lists are short; this bounds a template that loops (or recurses) by mistake.</summary>
    private const int MaxSteps = 10_000;

    /// <summary>Twice Discord's largest text part: a template's output is cut to the platform's limit afterwards anyway.</summary>
    private const int MaxOutputSize = 8192;

    private static readonly FluidParser Parser = new();

    private static readonly TemplateOptions Options = new TemplateOptionsBuilder()
        .WithMaxSteps(MaxSteps)
        .WithMaxOutputSize(MaxOutputSize)
        .WithCultureInfo(CultureInfo.InvariantCulture)
        .Build();

    /// <summary>What /subscribe renders a template with to refuse one that renders nothing.</summary>
    private static readonly Post Sample = new()
    {
        ShortId = "a1",
        Title = "Example title",
        Url = "https://example.com/story",
        SourceName = "Example source",
        Author = "Example author",
        PublishedAt = DateTimeOffset.UnixEpoch,
        Summary = "Example summary.",
        Topics = ["example"],
        Related = [new RelatedLink("Related example", "https://example.com/related")],
        AlsoCoveredBy = [new RelatedLink("Other source", "https://example.org/story")],
        ImageUrl = "https://example.com/image.png",
    };

    private readonly ConcurrentDictionary<string, IFluidTemplate> _parsed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, string> _failures = new();

    /// <summary>Subscriptions whose template failed at post time (their posts used the default layout), with the first reason.</summary>
    public IReadOnlyDictionary<long, string> Failures => _failures;

    /// <summary>A changed template gets a fresh start in /status.</summary>
    public void Forget(long subscriptionId) => _failures.TryRemove(subscriptionId, out _);

    /// <summary>
    /// Renders a part of a post's template for sending. Null when the post has no template or it failed (the failure is
    /// kept for /status, once per subscription): the caller then uses the default layout.
    /// </summary>
    public string? RenderForPost(string? source, Post post, string timeZone, TextEncoder encoder, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(post);
        if (source is null)
        {
            return null;
        }

        var rendered = Render(source, post, timeZone, encoder);
        if (Problem(rendered, maxLength) is not { } error)
        {
            return rendered.Text;
        }

        if (post.SubscriptionId is { } subscriptionId)
        {
            _failures.TryAdd(subscriptionId, $"{error} (article {post.ShortId})");
        }

        return null;
    }

    /// <summary>
    /// Why the template would fail for this article (its first failing part), without recording it: a preview shows
    /// the article in the default layout then, as the post would be.
    /// </summary>
    public string? ProblemFor(PostTemplate template, Post post, string timeZone, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(template);
        return Parts(template)
            .Select(p => Problem(Render(p.Source, post, timeZone, NullEncoder.Default), maxLength) is { } problem ? $"{p.Part}: {problem}" : null)
            .FirstOrDefault(problem => problem is not null);
    }

    private static string? Problem(TemplateRendering rendered, int maxLength) =>
        rendered.Error
        ?? (string.IsNullOrWhiteSpace(rendered.Text) ? "rendered empty" : null)
        ?? (rendered.Text!.Length > maxLength ? $"longer than {maxLength} characters" : null);

    /// <summary>Why the template cannot be used ("line 1, column 9: …" or "renders empty"), or null when it can.</summary>
    public string? Validate(PostTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        foreach (var (part, source) in Parts(template))
        {
            var rendered = Render(source, Sample, "UTC", NullEncoder.Default);
            if (rendered.Error is not null)
            {
                return $"{part}: {rendered.Error}";
            }

            if (string.IsNullOrWhiteSpace(rendered.Text))
            {
                return $"{part}: renders empty";
            }
        }

        return null;
    }

    /// <summary>Renders one part of a template; feed values are written through <paramref name="encoder"/>.</summary>
    public TemplateRendering Render(string source, Post post, string timeZone, TextEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(post);
        if (!_parsed.TryGetValue(source, out var template))
        {
            if (!Parser.TryParse(source, out template, out var error))
            {
                return TemplateRendering.Failed(Located(error));
            }

            _parsed.TryAdd(source, template);
        }

        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        var context = new TemplateContext(Options, StringComparer.Ordinal) { TimeZone = zone };
        foreach (var (name, value) in Values(post, zone))
        {
            if (value is not null)
            {
                context.SetValue(name, value);
            }
        }

        try
        {
            return new TemplateRendering(template.Render(context, encoder, true).Trim(), null);
        }
        catch (Exception e) when (e is InvalidOperationException or ParseException or ArgumentException or FormatException or IndexOutOfRangeException)
        {
            return TemplateRendering.Failed(e.Message);
        }
    }

    private static IEnumerable<(string Part, string Source)> Parts(PostTemplate template)
    {
        yield return ("text", template.Text);
        if (template.Title is not null)
        {
            yield return ("title", template.Title);
        }

        if (template.Footer is not null)
        {
            yield return ("footer", template.Footer);
        }
    }

    private static IEnumerable<(string Name, object? Value)> Values(Post post, TimeZoneInfo zone)
    {
        var published = post.PublishedAt is { } at ? TimeZoneInfo.ConvertTime(at, zone) : (DateTimeOffset?)null;
        yield return ("id", post.ShortId);
        yield return ("title", post.Title);
        yield return ("link", SafeUrl(post.Url));
        yield return ("summary", post.Summary);
        yield return ("source", post.SourceName);
        yield return ("author", post.Author);
        yield return ("published", published?.ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture));
        yield return ("published_at", published);
        yield return ("topics", post.Topics.ToList());
        yield return ("related", Links(post.Related));
        yield return ("also_covered_by", Links(post.AlsoCoveredBy));
        yield return ("image", SafeUrl(post.ImageUrl));
    }

    /// <summary>Only links a platform accepts: an empty href would make Telegram refuse the whole message.</summary>
    private static List<Dictionary<string, object>> Links(IReadOnlyList<RelatedLink> links) =>
        links.Select(l => (l.Title, Link: SafeUrl(l.Url)))
            .Where(l => l.Link is not null)
            .Select(l => new Dictionary<string, object> { ["title"] = l.Title, ["link"] = l.Link! })
            .ToList();

    /// <summary>Only http(s) links reach a template: a javascript: or tg: URL in a feed never becomes a link.</summary>
    private static string? SafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri.AbsoluteUri : null;

    /// <summary>Fluid reports positions as "(line:column)"; people read "line 2, column 5".</summary>
    private static string Located(string error)
    {
        var match = Position().Match(error);
        return match.Success
            ? $"line {match.Groups[1].Value}, column {match.Groups[2].Value}: {error.Remove(match.Index, match.Length).Trim().TrimEnd(',', ':').Trim()}"
            : error;
    }

    [GeneratedRegex(@"\s*(?:at\s*)?\((\d+):(\d+)\)")]
    private static partial Regex Position();
}
