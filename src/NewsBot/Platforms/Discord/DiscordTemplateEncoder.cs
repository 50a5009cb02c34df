using NewsBot.Publishing;

namespace NewsBot.Platforms.Discord;

/// <summary>
/// Template values as literal Discord markdown: the characters <see cref="DiscordRenderer.Escape"/> escapes get a
/// backslash. A value that is a whole http(s) URL is written as a URL instead (parentheses percent-encoded), so
/// <c>[Read more]({{ link }})</c> works and no URL can close the link early.
/// </summary>
public sealed class DiscordTemplateEncoder : PlatformTextEncoder
{
    public static DiscordTemplateEncoder Instance { get; } = new();

    public override string Encode(string value) =>
        !value.Any(char.IsWhiteSpace) && DiscordRenderer.SafeUrl(value) is { } url ? url : base.Encode(value);

    public override void Encode(TextWriter output, string value, int startIndex, int characterCount)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(value);
        output.Write(Encode(value.Substring(startIndex, characterCount)));
    }

    protected override string? Replacement(char c) => DiscordRenderer.NeedsEscape(c) ? "\\" + c : null;
}
