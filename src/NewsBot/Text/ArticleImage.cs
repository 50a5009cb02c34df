using System.Globalization;

namespace NewsBot.Text;

/// <summary>
/// Decides whether a picture URL that a feed or a page offers can stand for an article in a post: absolute http(s),
/// and not a tracking pixel, counter, emoji, avatar or icon. Feeds and pages both carry such images
/// (FeedBurner's ~r/ beacons, WordPress stats pixels, share buttons, favicons), and a post showing one looks broken.
/// </summary>
public static class ArticleImage
{
    /// <summary>Below this many pixels on a side an image is a pixel, a button or an icon, never an article picture.</summary>
    public const int MinimumSide = 100;

    /// <summary>Platforms refuse longer URLs (Discord: 2048 for embed media).</summary>
    private const int MaximumLength = 2048;

    /// <summary>Hosts that serve only counters, ads, avatars and emoji.</summary>
    private static readonly string[] NonArticleHosts =
    [
        "feeds.feedburner.com", "feedproxy.google.com", "feeds.wordpress.com", "stats.wordpress.com", "pixel.wp.com",
        "doubleclick.net", "googleadservices.com", "google-analytics.com", "googlesyndication.com", "scorecardresearch.com",
        "quantserve.com", "pheedo.com", "feedsportal.com", "gravatar.com", "facebook.com", "addtoany.com",
    ];

    /// <summary>File names (without extension) of counters, spacers and icons.</summary>
    private static readonly HashSet<string> NonArticleFileNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "pixel", "spacer", "blank", "clear", "transparent", "beacon", "tracker", "tracking", "1x1", "favicon", "apple-touch-icon",
    };

    /// <summary>Folders that hold counters, emoji, avatars and icons.</summary>
    private static readonly HashSet<string> NonArticleFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "pixel", "tracking", "beacon", "emoji", "smilies", "icons", "avatar", "avatars",
    };

    /// <summary>
    /// The URL, made absolute against <paramref name="baseUri"/> when relative, when it can be an article's picture;
    /// null when it is missing, not http(s), too long, or a known pixel or icon.
    /// </summary>
    public static string? Accept(string? url, Uri? baseUri = null)
    {
        var trimmed = url?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // "/path" would read as a file URI on Unix; only a scheme-qualified URL counts as absolute.
        var absolute = trimmed.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(trimmed, UriKind.Absolute, out var direct)
            ? direct
            : baseUri is not null && Uri.TryCreate(baseUri, trimmed, out var resolved) ? resolved : null;
        if (absolute is null || absolute.Scheme is not ("http" or "https") || absolute.AbsoluteUri.Length > MaximumLength)
        {
            return null;
        }

        var host = absolute.Host;
        foreach (var blocked in NonArticleHosts)
        {
            if (host.Equals(blocked, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + blocked, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        // Whole names only: "pixel-9-review.jpg" is an article picture, "pixel.gif" is a counter.
        var segments = absolute.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (NonArticleFolders.Contains(segments[i]))
            {
                return null;
            }
        }

        var file = segments.Length == 0 ? string.Empty : segments[^1];
        var name = Path.GetFileNameWithoutExtension(file);
        var extension = Path.GetExtension(file);

        // Icons and vector logos: platforms do not show SVG in embeds or previews.
        return NonArticleFileNames.Contains(name) || IsIconName(name)
            || extension.Equals(".ico", StringComparison.OrdinalIgnoreCase) || extension.Equals(".svg", StringComparison.OrdinalIgnoreCase)
            ? null
            : absolute.AbsoluteUri;
    }

    /// <summary>"icon", "icon-speaker", "rss_icon": named as an icon, not as a picture.</summary>
    private static bool IsIconName(string name) =>
        name.Equals("icon", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("icon-", StringComparison.OrdinalIgnoreCase) || name.StartsWith("icon_", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("-icon", StringComparison.OrdinalIgnoreCase) || name.EndsWith("_icon", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether declared dimensions (HTML width/height attributes, Media RSS width/height) allow an article picture.
    /// Undeclared or unreadable sizes pass: most feeds and pages do not say.
    /// </summary>
    public static bool IsSizeable(string? width, string? height) => Side(width) is not < MinimumSide && Side(height) is not < MinimumSide;

    private static int? Side(string? value)
    {
        var digits = value?.Trim();
        if (string.IsNullOrEmpty(digits))
        {
            return null;
        }

        // "1px" and "150" are both pixel sizes; a percentage says nothing about the picture.
        if (digits.EndsWith("px", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[..^2].TrimEnd();
        }

        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var pixels) ? pixels : null;
    }
}
