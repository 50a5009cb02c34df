using System.Buffers;
using System.Net.Http.Headers;
using System.Text;

namespace NewsBot.Feeds.Parsing;

/// <summary>
/// Bytes to text the way feedparser chooses an encoding: a BOM first, then the HTTP charset (it wins over the XML
/// declaration), then the XML declaration, then UTF-8 with windows-1252 for the bytes that are not valid UTF-8.
/// Runs of double-encoded UTF-8 ("Ã©") are repaired afterwards.
/// </summary>
internal static class FeedTextDecoder
{
    static FeedTextDecoder()
    {
        // windows-125x, ISO-8859-x, GBK/GB18030, Big5, Shift_JIS, EUC-JP/KR and KOI8-R live in the code-pages provider.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1252 = Encoding.GetEncoding(1252);
        Windows1252Chars = Windows1252.GetString([.. Enumerable.Range(0, 256).Select(b => (byte)b)]);
        Windows1252High = Enumerable.Range(0x80, 0x20)
            .Select(b => (Byte: (byte)b, Char: Windows1252.GetString([(byte)b])[0]))
            .Where(p => p.Char is not ('\uFFFD' or '?') && p.Char != (char)p.Byte)
            .ToDictionary(p => p.Char, p => p.Byte);
    }

    public static Encoding Windows1252 { get; }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>windows-1252 as a 256-character table, indexed by byte.</summary>
    private static string Windows1252Chars { get; }

    /// <summary>The characters windows-1252 puts at 0x80–0x9F, mapped back to their bytes.</summary>
    private static Dictionary<char, byte> Windows1252High { get; }

    /// <summary>
    /// Decoded text in a buffer rented from <see cref="ArrayPool{T}.Shared"/>: a document is read once and thrown
    /// away, so its text never becomes a (large-object-heap) string. <see cref="Dispose"/> returns the buffer.
    /// </summary>
    public readonly record struct DecodedText(char[] Buffer, int Length, string EncodingName) : IDisposable
    {
        public ReadOnlySpan<char> Span => Buffer.AsSpan(0, Length);

        public ReadOnlyMemory<char> Memory => Buffer.AsMemory(0, Length);

        public void Dispose() => ArrayPool<char>.Shared.Return(Buffer);
    }

    public static DecodedText Decode(ReadOnlySpan<byte> bytes, string? contentType)
    {
        var (bomEncoding, bomLength) = DetectBom(bytes);
        if (bomEncoding is not null)
        {
            var (buffer, length) = DecodeWith(bomEncoding, bytes[bomLength..]);
            return new(buffer, bomEncoding.CodePage == 65001 ? RepairDoubleEncoding(buffer.AsSpan(0, length)) : length, bomEncoding.WebName);
        }

        var sniffed = SniffUnicodeWithoutBom(bytes);
        if (sniffed is not null)
        {
            var (buffer, length) = DecodeWith(sniffed, bytes);
            return new(buffer, length, sniffed.WebName);
        }

        var label = CharsetOf(contentType) ?? DeclaredEncoding(bytes);

        // A UTF-16/32 label on bytes that showed no UTF-16/32 pattern above is a wrong declaration.
        if (label is not null && TryResolve(label) is { CodePage: not (1200 or 1201 or 12000 or 12001) } declared)
        {
            if (declared.CodePage == 65001)
            {
                var utf8 = DecodeUtf8WithWindows1252Fallback(bytes);
                return utf8.EncodingName == "utf-8" ? utf8 with { EncodingName = label.ToLowerInvariant() } : utf8;
            }

            if (TryDecodeStrict(declared, bytes, out var buffer, out var length))
            {
                // UTF-8 bytes in a document labelled windows-1252/ISO-8859-1 show the same pattern as double encoding.
                return new(buffer, declared.CodePage == 1252 ? RepairDoubleEncoding(buffer.AsSpan(0, length)) : length, label.ToLowerInvariant());
            }
        }

        return DecodeUtf8WithWindows1252Fallback(bytes);
    }

    private static (char[] Buffer, int Length) DecodeWith(Encoding encoding, ReadOnlySpan<byte> bytes)
    {
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, encoding.GetMaxCharCount(bytes.Length)));
        return (buffer, encoding.GetChars(bytes, buffer));
    }

    /// <summary>
    /// UTF-8 where every invalid byte is read as windows-1252: feeds that paste legacy text into UTF-8 keep both
    /// halves readable, and a wholly windows-1252 document reads as windows-1252. Named "utf-8" when every byte was
    /// valid UTF-8; double encoding is repaired either way.
    /// </summary>
    private static DecodedText DecodeUtf8WithWindows1252Fallback(ReadOnlySpan<byte> bytes)
    {
        // UTF-8 never needs more UTF-16 code units than bytes, and each fallback byte gives one character.
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, bytes.Length));
        var written = 0;
        var fellBack = false;
        while (!bytes.IsEmpty)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(bytes, chars.AsSpan(written), out var read, out var produced, replaceInvalidSequences: false);
            written += produced;
            bytes = bytes[read..];
            if (status == OperationStatus.Done)
            {
                break;
            }

            fellBack = true;
            chars[written++] = Windows1252Chars[bytes[0]];
            bytes = bytes[1..];
        }

        return new(chars, RepairDoubleEncoding(chars.AsSpan(0, written)), fellBack ? "utf-8+windows-1252" : "utf-8");
    }

    /// <summary>
    /// UTF-8 that was decoded as windows-1252 and encoded to UTF-8 again ("Ã©" for "é") is a common publishing
    /// fault, often in only some of a feed's items. Each run that reads back as one valid UTF-8 sequence is repaired,
    /// in place (a repair is never longer than the run it replaces); returns the new length.
    /// </summary>
    private static int RepairDoubleEncoding(Span<char> text)
    {
        var marker = text.IndexOfAnyInRange('\u00C2', '\u00F4');
        if (marker < 0)
        {
            return text.Length;
        }

        var written = marker;
        var i = marker;
        Span<byte> sequence = stackalloc byte[4];
        Span<char> original = stackalloc char[2];
        while (i < text.Length)
        {
            if (TryRepair(text, i, sequence, original, out var length, out var produced))
            {
                original[..produced].CopyTo(text[written..]);
                written += produced;
                i += length;
            }
            else
            {
                text[written++] = text[i++];
            }

            // Move the text up to the next possible lead character in one copy.
            var next = text[i..].IndexOfAnyInRange('\u00C2', '\u00F4');
            var run = next < 0 ? text.Length - i : next;
            if (written != i)
            {
                text.Slice(i, run).CopyTo(text[written..]);
            }

            written += run;
            i += run;
        }

        return written;
    }

    /// <summary>Reads the characters at <paramref name="i"/> as the bytes of one UTF-8 sequence and decodes it.</summary>
    private static bool TryRepair(ReadOnlySpan<char> text, int i, Span<byte> sequence, Span<char> original, out int length, out int produced)
    {
        // A UTF-8 lead byte (0xC2–0xF4) announces how many continuation bytes (0x80–0xBF) follow.
        var lead = text[i];
        length = lead switch { < '\u00E0' => 2, < '\u00F0' => 3, _ => 4 };
        produced = 0;
        if (i + length > text.Length)
        {
            return false;
        }

        sequence[0] = (byte)lead;
        for (var continuation = 1; continuation < length; continuation++)
        {
            if (ByteOf(text[i + continuation]) is not (var b and >= 0x80 and <= 0xBF))
            {
                return false;
            }

            sequence[continuation] = (byte)b;
        }

        return System.Text.Unicode.Utf8.ToUtf16(sequence[..length], original, out _, out produced, replaceInvalidSequences: false) == OperationStatus.Done;
    }

    /// <summary>The windows-1252 byte a character came from, or -1.</summary>
    private static int ByteOf(char c) => c <= '\u00FF' ? c : Windows1252High.TryGetValue(c, out var b) ? b : -1;

    private static (Encoding? Encoding, int Length) DetectBom(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return (new UTF32Encoding(bigEndian: false, byteOrderMark: false), 4);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return (new UTF32Encoding(bigEndian: true, byteOrderMark: false), 4);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (new UTF8Encoding(false), 3);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (Encoding.Unicode, 2);
        }

        return bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ? (Encoding.BigEndianUnicode, 2) : (null, 0);
    }

    /// <summary>UTF-16/32 without a BOM, recognised by the zero bytes around the first '&lt;' (XML 1.0 appendix F).</summary>
    private static Encoding? SniffUnicodeWithoutBom(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4)
        {
            return null;
        }

        return (bytes[0], bytes[1], bytes[2], bytes[3]) switch
        {
            (0x00, 0x00, 0x00, 0x3C) => new UTF32Encoding(bigEndian: true, byteOrderMark: false),
            (0x3C, 0x00, 0x00, 0x00) => new UTF32Encoding(bigEndian: false, byteOrderMark: false),
            (0x00, 0x3C, 0x00, _) => Encoding.BigEndianUnicode,
            (0x3C, 0x00, _, 0x00) => Encoding.Unicode,
            _ => null,
        };
    }

    private static string? CharsetOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return null;
        }

        var charset = parsed.CharSet?.Trim('"', '\'', ' ');
        return string.IsNullOrEmpty(charset) ? null : charset;
    }

    /// <summary>The encoding="…" of an XML declaration at the start of the document (ASCII-compatible bytes).</summary>
    private static string? DeclaredEncoding(ReadOnlySpan<byte> bytes)
    {
        var head = bytes[..Math.Min(bytes.Length, 512)];
        var start = head.IndexOf("<?xml"u8);
        if (start < 0)
        {
            return null;
        }

        var end = head[start..].IndexOf("?>"u8);
        var declaration = end < 0 ? head[start..] : head.Slice(start, end);
        var key = declaration.IndexOf("encoding"u8);
        if (key < 0)
        {
            return null;
        }

        var rest = declaration[(key + 8)..].TrimStart(" \t\r\n="u8);
        if (rest.Length == 0 || rest[0] is not ((byte)'"' or (byte)'\''))
        {
            return null;
        }

        var close = rest[1..].IndexOf(rest[0]);
        return close <= 0 ? null : Encoding.ASCII.GetString(rest.Slice(1, close)).Trim();
    }

    private static Encoding? TryResolve(string label)
    {
        var name = label.Trim().ToLowerInvariant();
        name = name switch
        {
            // Browsers read these labels as windows-1252, a superset that also covers the bytes 0x80–0x9F.
            "iso-8859-1" or "latin1" or "latin-1" or "us-ascii" or "ascii" or "iso_8859-1" => "windows-1252",
            // GB2312 and GBK documents routinely use GBK/GB18030 characters.
            "gb2312" or "gbk" or "x-gbk" or "gb_2312-80" => "gb18030",
            "utf8" => "utf-8",
            "utf-16" or "utf16" => "utf-16",
            _ => name,
        };

        if (name == "utf-8")
        {
            // The common case, without the code-pages provider's locked lookup.
            return StrictUtf8;
        }

        try
        {
            return Encoding.GetEncoding(name, EncoderFallback.ReplacementFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool TryDecodeStrict(Encoding encoding, ReadOnlySpan<byte> bytes, out char[] buffer, out int length)
    {
        var strict = encoding.DecoderFallback is DecoderExceptionFallback
            ? encoding
            : Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ExceptionFallback);
        buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, strict.GetMaxCharCount(bytes.Length)));
        try
        {
            length = strict.GetChars(bytes, buffer);
            return true;
        }
        catch (DecoderFallbackException)
        {
            ArrayPool<char>.Shared.Return(buffer);
            buffer = [];
            length = 0;
            return false;
        }
    }
}
