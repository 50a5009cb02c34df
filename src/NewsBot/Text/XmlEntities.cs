using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;

namespace NewsBot.Text;

/// <summary>Entity decoding for XML text with HTML leniency.</summary>
internal static class XmlEntities
{
    /// <summary>The longest entity name looked at between '&amp;' and ';'.</summary>
    private const int MaxNameLength = 32;

    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    /// <summary>
    /// Decodes the five XML entities, character references and HTML named entities. Anything else (an undefined
    /// entity, a bare '&amp;') stays as written, as feedparser leaves it.
    /// </summary>
    public static string Decode(ReadOnlySpan<char> text)
    {
        if (!text.Contains('&'))
        {
            return text.ToString();
        }

        // A decoded entity is never longer than its reference ("&#x10000;" gives two chars), so the source length
        // bounds the output: one pooled buffer, one final string.
        var buffer = ArrayPool<char>.Shared.Rent(text.Length);
        var result = new string(buffer, 0, DecodeInto(text, buffer));
        ArrayPool<char>.Shared.Return(buffer);
        return result;
    }

    /// <summary>Decodes <paramref name="text"/> into <paramref name="destination"/> (at least as long); returns the length written.</summary>
    public static int DecodeInto(ReadOnlySpan<char> text, Span<char> destination)
    {
        var written = 0;
        var amp = text.IndexOf('&');
        while (amp >= 0)
        {
            text[..amp].CopyTo(destination[written..]);
            written += amp;
            var decoded = DecodeReference(text, amp, destination[written..], out var referenceLength);
            if (decoded > 0)
            {
                written += decoded;
                text = text[(amp + referenceLength)..];
            }
            else
            {
                destination[written++] = '&';
                text = text[(amp + 1)..];
            }

            amp = text.IndexOf('&');
        }

        text.CopyTo(destination[written..]);
        return written + text.Length;
    }

    /// <summary>
    /// Decodes the entity reference starting at <paramref name="amp"/> ('&amp;') into <paramref name="destination"/>
    /// (room for two chars). Returns the chars written and the length of the reference, or 0 when it is none.
    /// </summary>
    public static int DecodeReference(ReadOnlySpan<char> text, int amp, Span<char> destination, out int referenceLength)
    {
        referenceLength = 0;
        var semicolon = text.Slice(amp + 1, Math.Min(text.Length - amp - 1, MaxNameLength + 1)).IndexOf(';');
        if (semicolon <= 0)
        {
            return 0;
        }

        var written = DecodeEntity(text.Slice(amp + 1, semicolon), destination);
        referenceLength = written > 0 ? semicolon + 2 : 0;
        return written;
    }

    /// <summary>Writes the character(s) for an entity name (without '&amp;' and ';'); 0 when it is not one.</summary>
    private static int DecodeEntity(ReadOnlySpan<char> name, Span<char> destination)
    {
        switch (name)
        {
            case "lt":
                destination[0] = '<';
                return 1;
            case "gt":
                destination[0] = '>';
                return 1;
            case "amp":
                destination[0] = '&';
                return 1;
            case "quot":
                destination[0] = '"';
                return 1;
            case "apos":
                destination[0] = '\'';
                return 1;
        }

        if (name[0] == '#')
        {
            var isHex = name.Length > 1 && name[1] is 'x' or 'X';
            var digits = isHex ? name[2..] : name[1..];
            return int.TryParse(digits, isHex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                ? WriteCharacter(code, destination)
                : 0;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return 0;
            }
        }

        var entity = string.Concat("&", name, ";");
        var decoded = WebUtility.HtmlDecode(entity);
        if (decoded == entity || decoded.Length > destination.Length)
        {
            return 0;
        }

        decoded.CopyTo(destination);
        return decoded.Length;
    }

    /// <summary>Numeric references: C1 controls are read as windows-1252 as browsers do; invalid code points become U+FFFD.</summary>
    private static int WriteCharacter(int code, Span<char> destination)
    {
        if (code is >= 0x80 and <= 0x9F)
        {
            return Windows1252.GetChars([(byte)code], destination);
        }

        if (code is 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
        {
            destination[0] = '\uFFFD';
            return 1;
        }

        return new Rune(code).EncodeToUtf16(destination);
    }
}
