
namespace NewsBot.Text;

/// <summary>Canonical article URLs: absolute, tracking parameters and fragments dropped.</summary>
public static class UrlCanonicalizer
{
    private static readonly string[] TrackingPrefixes = ["utm_", "mc_", "_hs"];
    private static readonly HashSet<string> TrackingNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "ref_src", "xtor", "at_medium", "at_campaign", "ito", "cmpid",
    };

    public static string? Canonicalize(string? link, Uri? baseUri)
    {
        if (string.IsNullOrWhiteSpace(link))
        {
            return null;
        }

        var uri = FeedLinks.Resolve(baseUri, link);
        if (uri is null)
        {
            return null;
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            return uri.ToString();
        }

        var builder = new UriBuilder(uri) { Fragment = string.Empty };
        if (builder.Query.Length > 1)
        {
            var kept = builder.Query.TrimStart('?')
                .Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Where(pair => !IsTracking(pair.Split('=', 2)[0]));
            builder.Query = string.Join('&', kept);
        }

        if ((builder.Scheme == "http" && builder.Port == 80) || (builder.Scheme == "https" && builder.Port == 443))
        {
            builder.Port = -1;
        }

        return builder.Uri.ToString();
    }

    /// <summary>The part of a canonical URL that identifies an article: no scheme, no "www.", no trailing slash.</summary>
    public static string IdentityOf(string canonicalUrl)
    {
        var identity = canonicalUrl;
        var schemeEnd = identity.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            identity = identity[(schemeEnd + 3)..];
        }

        if (identity.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            identity = identity[4..];
        }

        return identity.TrimEnd('/');
    }

    private static bool IsTracking(string name) =>
        TrackingNames.Contains(name) || TrackingPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
}
