using System.Text;

namespace NewsBot.Tests.Proof;

/// <summary>
/// Seeded mutations of real documents for fuzzing: byte flips, truncation, tag soup, deep nesting, spliced
/// slices and invalid UTF-8. The same seed gives the same mutant, so a failure names how to reproduce it.
/// </summary>
public sealed class InputMutator(int seed)
{
    private static readonly string[] SoupTags = ["<", ">", "</", "<item>", "</item>", "<entry>", "<![CDATA[", "]]>", "<!--", "-->", "&", "&amp;", "&#x0;", "&#xD800;", "&nosuch;", "<div>", "</p>", "<script>", "<table><tr>", "\"", "'", "=", "<?xml version=\"1.0\"?>", "<!DOCTYPE x>"];

    private readonly Random _random = new(seed);

    public string LastMutation { get; private set; } = "";

    /// <summary>One to three mutations applied to <paramref name="original"/>.</summary>
    public byte[] Mutate(byte[] original)
    {
        var data = original;
        var steps = new List<string>();
        for (var n = 1 + _random.Next(3); n > 0; n--)
        {
            var (name, next) = _random.Next(7) switch
            {
                0 => ("flip", FlipBytes(data)),
                1 => ("truncate", Truncate(data)),
                2 => ("soup", Insert(data, Encoding.UTF8.GetBytes(TagSoup()))),
                3 => ("nest", Insert(data, Encoding.UTF8.GetBytes(DeepNesting()))),
                4 => ("splice", Splice(data)),
                5 => ("utf8", Insert(data, [0xC3, 0x28, 0xFF, 0xED, 0xA0, 0x80, 0xF0, 0x28, 0x8C])),
                _ => ("delete", Delete(data)),
            };
            steps.Add(name);
            data = next;
        }

        LastMutation = string.Join('+', steps);
        return data;
    }

    private byte[] FlipBytes(byte[] data)
    {
        var copy = (byte[])data.Clone();
        for (var i = 0; i < 1 + (copy.Length / 200) && copy.Length > 0; i++)
        {
            copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
        }

        return copy;
    }

    private byte[] Truncate(byte[] data) => data.Length == 0 ? data : data[.._random.Next(data.Length)];

    private byte[] Delete(byte[] data)
    {
        if (data.Length < 2)
        {
            return data;
        }

        var start = _random.Next(data.Length);
        var end = Math.Min(data.Length, start + _random.Next(1, 200));
        return [.. data[..start], .. data[end..]];
    }

    private byte[] Splice(byte[] data)
    {
        if (data.Length < 2)
        {
            return data;
        }

        var start = _random.Next(data.Length);
        var length = Math.Min(data.Length - start, _random.Next(1, 2000));
        return Insert(data, data[start..(start + length)]);
    }

    private byte[] Insert(byte[] data, byte[] piece)
    {
        var at = data.Length == 0 ? 0 : _random.Next(data.Length);
        return [.. data[..at], .. piece, .. data[at..]];
    }

    private string TagSoup()
    {
        var soup = new StringBuilder();
        for (var i = _random.Next(1, 40); i > 0; i--)
        {
            soup.Append(SoupTags[_random.Next(SoupTags.Length)]);
        }

        return soup.ToString();
    }

    private string DeepNesting()
    {
        var tag = _random.Next(3) switch { 0 => "div", 1 => "item", _ => "b" };
        // Deep enough to expose recursion and quadratic tree building, small enough that a sound parser stays well
        // under the per-input limit (AngleSharp's nesting cost grows with the square of the depth).
        var depth = _random.Next(100, 3000);
        return string.Concat(Enumerable.Repeat($"<{tag}>", depth)) + "deep" + (_random.Next(2) == 0 ? string.Concat(Enumerable.Repeat($"</{tag}>", depth)) : "");
    }
}
