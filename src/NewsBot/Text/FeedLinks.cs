using System.Diagnostics.CodeAnalysis;

namespace NewsBot.Text;

/// <summary>Link resolution that treats "/path" as relative on every OS (.NET on Unix reads it as a file:// URI).</summary>
public static class FeedLinks
{
    public static bool TryAbsolute(string link, [NotNullWhen(true)] out Uri? uri)
    {
        if (Uri.TryCreate(link, UriKind.Absolute, out uri)
            && !(uri.IsFile && !link.StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        uri = null;
        return false;
    }

    /// <summary>The link made absolute against <paramref name="baseUri"/>; null when it cannot be.</summary>
    public static Uri? Resolve(Uri? baseUri, string? link)
    {
        var trimmed = link?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (TryAbsolute(trimmed, out var absolute))
        {
            return absolute;
        }

        return baseUri is not null && Uri.TryCreate(baseUri, trimmed, out var resolved) ? resolved : null;
    }

    /// <summary>As <see cref="Resolve"/>, keeping the link as written when there is nothing to resolve it against.</summary>
    public static string? ResolveText(Uri? baseUri, string? link) =>
        Resolve(baseUri, link)?.ToString() ?? (string.IsNullOrWhiteSpace(link) ? null : link.Trim());
}
