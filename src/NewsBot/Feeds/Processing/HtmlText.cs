using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace NewsBot.Feeds.Processing;

/// <summary>HTML (or text with entities) to plain text: tags dropped, entities decoded, whitespace folded.</summary>
public static partial class HtmlText
{
    public static string? ToPlainText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return null;
        }

        var withoutScripts = ScriptOrStyle().Replace(Comment().Replace(html, " "), " ");
        var withBreaks = BlockEnd().Replace(withoutScripts, "\n");
        var text = ControlCharacters().Replace(WebUtility.HtmlDecode(Tag().Replace(withBreaks, " ")), string.Empty);
        var folded = new StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
        {
            var trimmed = Spaces().Replace(line, " ").Trim();
            if (trimmed.Length > 0)
            {
                if (folded.Length > 0)
                {
                    folded.Append('\n');
                }

                folded.Append(trimmed);
            }
        }

        return folded.Length == 0 ? null : folded.ToString();
    }

    public static string Truncate(this string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', maxLength - 1, Math.Min(maxLength - 1, 40));
        return (cut > 0 ? text[..cut] : text[..(maxLength - 1)]).TrimEnd() + "…";
    }

    /// <summary>Comments, including one left open at the end (a browser hides the rest of the text).</summary>
    [GeneratedRegex(@"<!--.*?(?:-->|$)", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<(br|/p|/div|/li|/h[1-6]|/blockquote)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    /// <summary>C0 controls other than tab and newlines are not allowed in XML 1.0 text and only garble output.</summary>
    [GeneratedRegex(@"[\x00-\x08\x0B\x0E-\x1F\x7F]")]
    private static partial Regex ControlCharacters();

    [GeneratedRegex(@"[ \t\r\f\v\u00A0]+")]
    private static partial Regex Spaces();
}
