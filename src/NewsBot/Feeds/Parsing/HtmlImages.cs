using System.Net;
using System.Text.RegularExpressions;
using NewsBot.Text;

namespace NewsBot.Feeds.Parsing;

/// <summary>
/// The first article picture in a feed's HTML (content or description): the first &lt;img&gt; whose source is usable
/// (see <see cref="ArticleImage"/>) and whose declared width and height, when given, are not those of a pixel or icon.
/// A scan of the img tags, not an HTML parse: the parser reads every item of every poll.
/// </summary>
internal static partial class HtmlImages
{
    public static string? First(string? html, Uri? baseUri)
    {
        if (string.IsNullOrEmpty(html) || !html.Contains("<img", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (Match tag in ImgTag().Matches(html))
        {
            string? source = null, lazySource = null, width = null, height = null;
            foreach (Match attribute in Attribute().Matches(tag.Value))
            {
                var value = WebUtility.HtmlDecode(attribute.Groups["value"].Value.Trim('"', '\''));
                switch (attribute.Groups["name"].Value.ToLowerInvariant())
                {
                    case "src":
                        source ??= value;
                        break;
                    case "data-src" or "data-lazy-src" or "data-original":
                        lazySource ??= value;
                        break;
                    case "width":
                        width ??= value;
                        break;
                    case "height":
                        height ??= value;
                        break;
                }
            }

            // Lazy-loading pages put a placeholder (often a data: URI) in src and the picture in data-src.
            var url = ArticleImage.Accept(lazySource, baseUri) ?? ArticleImage.Accept(source, baseUri);
            if (url is not null && ArticleImage.IsSizeable(width, height))
            {
                return url;
            }
        }

        return null;
    }

    [GeneratedRegex(@"<img\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ImgTag();

    [GeneratedRegex(@"(?<name>[\w-]+)\s*=\s*(?<value>""[^""]*""|'[^']*'|[^\s""'>]+)", RegexOptions.CultureInvariant)]
    private static partial Regex Attribute();
}
