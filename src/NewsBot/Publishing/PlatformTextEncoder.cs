using System.Text;
using System.Text.Encodings.Web;

namespace NewsBot.Publishing;

/// <summary>
/// Escapes every value a post template outputs for one platform's markup, character by character, while the template's
/// literal text passes through as markup. Liquid filters (truncate, upcase, …) run on the raw value first, so they can
/// never cut an escape in half.
/// </summary>
public abstract class PlatformTextEncoder : TextEncoder
{
    public override int MaxOutputCharactersPerInputCharacter => 8;

    /// <summary>What <paramref name="c"/> is written as, or null when it is written as is.</summary>
    protected abstract string? Replacement(char c);

    public override bool WillEncode(int unicodeScalar) => unicodeScalar <= char.MaxValue && Replacement((char)unicodeScalar) is not null;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
        {
            if (Replacement(text[i]) is not null)
            {
                return i;
            }
        }

        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var output = new Span<char>(buffer, bufferLength);
        var written = unicodeScalar <= char.MaxValue && Replacement((char)unicodeScalar) is { } replacement
            ? replacement.TryCopyTo(output) ? replacement.Length : -1
            : Rune.TryCreate(unicodeScalar, out var rune) && rune.TryEncodeToUtf16(output, out var length) ? length : -1;
        numberOfCharactersWritten = Math.Max(0, written);
        return written >= 0;
    }
}
