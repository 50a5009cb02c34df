using NewsBot.Discord.Wire;

namespace NewsBot.Discord.Rest;

/// <summary>
/// Message and embed limits (message resource, "Embed Limits"): any violation is a 400, so the client trims
/// instead of failing. Lengths are counted after trimming surrounding whitespace, like Discord does.
/// </summary>
internal static class MessageLimits
{
    public const int Content = 2000;
    public const int EmbedCount = 10;
    public const int Title = 256;
    public const int Description = 4096;
    public const int FieldCount = 25;
    public const int FieldName = 256;
    public const int FieldValue = 1024;
    public const int Footer = 2048;
    public const int AuthorName = 256;
    public const int TotalEmbedText = 6000;
    public const int Choices = 25;
    public const int ChoiceName = 100;
    /// <summary>Thread (forum post) names are 1–100 characters.</summary>
    public const int ThreadNameLength = 100;
    /// <summary>A forum post carries at most 5 tags.</summary>
    public const int AppliedTags = 5;

    private const string Ellipsis = "…";

    /// <summary>Cuts at a word boundary and appends "…" when the text is longer than <paramref name="max"/>.</summary>
    public static string Truncate(string text, int max)
    {
        var trimmed = text.Trim();
        if (trimmed.Length <= max)
        {
            return trimmed;
        }

        if (max <= Ellipsis.Length)
        {
            return max <= 0 ? "" : Ellipsis;
        }

        var cut = max - Ellipsis.Length;
        var space = trimmed.LastIndexOfAny([' ', '\n', '\t', '\r'], cut);
        // A word boundary far back would throw away most of the text; cut mid-word then.
        if (space > cut / 2)
        {
            cut = space;
        }
        else if (char.IsHighSurrogate(trimmed[cut - 1]))
        {
            cut--;
        }

        return trimmed[..cut].TrimEnd() + Ellipsis;
    }

    /// <summary>A thread name on one line within 100 characters; never empty (Discord refuses an empty name).</summary>
    public static string ThreadName(string name)
    {
        var line = string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length == 0 ? "…" : Truncate(line, ThreadNameLength);
    }

    public static string? TruncateContent(string? content) =>
        string.IsNullOrWhiteSpace(content) ? null : Truncate(content, Content);

    /// <summary>Applies per-field limits, then the 6000-character budget over all embeds, earlier embeds first.</summary>
    public static IReadOnlyList<Embed>? Fit(IReadOnlyList<Embed> embeds)
    {
        if (embeds.Count == 0)
        {
            return null;
        }

        var budget = TotalEmbedText;
        var fitted = new List<Embed>(Math.Min(embeds.Count, EmbedCount));
        foreach (var embed in embeds.Take(EmbedCount))
        {
            var title = Take(embed.Title, Title, ref budget);
            var author = embed.Author is null ? null : Take(embed.Author.Name, AuthorName, ref budget);
            var description = Take(embed.Description, Description, ref budget);
            var fields = FitFields(embed.Fields, ref budget);
            var footer = embed.Footer is null ? null : Take(embed.Footer.Text, Footer, ref budget);
            var result = embed with
            {
                Title = title,
                Description = description,
                Author = author is null ? null : embed.Author! with { Name = author },
                Fields = fields,
                Footer = footer is null ? null : embed.Footer! with { Text = footer },
            };
            if (result is { Title: not null } or { Description: not null } or { Author: not null } or { Footer: not null }
                or { Fields.Count: > 0 } or { Image: not null } or { Thumbnail: not null })
            {
                fitted.Add(result);
            }
        }

        return fitted.Count == 0 ? null : fitted;
    }

    private static List<EmbedField>? FitFields(IReadOnlyList<EmbedField>? fields, ref int budget)
    {
        if (fields is null)
        {
            return null;
        }

        var fitted = new List<EmbedField>();
        foreach (var field in fields.Take(FieldCount))
        {
            // Name and value are both required; without room for a character of each the field goes.
            if (budget < 2 || string.IsNullOrWhiteSpace(field.Name) || string.IsNullOrWhiteSpace(field.Value))
            {
                break;
            }

            var name = Truncate(field.Name, Math.Min(FieldName, budget - 1));
            budget -= name.Length;
            var value = Truncate(field.Value, Math.Min(FieldValue, budget));
            budget -= value.Length;
            fitted.Add(field with { Name = name, Value = value });
        }

        return fitted.Count == 0 ? null : fitted;
    }

    private static string? Take(string? text, int limit, ref int budget)
    {
        if (string.IsNullOrWhiteSpace(text) || budget <= 0)
        {
            return null;
        }

        var result = Truncate(text, Math.Min(limit, budget));
        budget -= result.Length;
        return result;
    }
}
