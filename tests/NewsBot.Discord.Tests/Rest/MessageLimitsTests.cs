using NewsBot.Discord.Rest;
using NewsBot.Discord.Wire;

namespace NewsBot.Discord.Tests.Rest;

public sealed class MessageLimitsTests
{
    private static readonly string Words = string.Join(' ', Enumerable.Repeat("lorem", 2000));

    [Fact]
    public void Truncate_LongText_CutsAtWordBoundaryWithEllipsis()
    {
        var result = MessageLimits.Truncate("alpha beta gamma delta", 13);

        Assert.Equal("alpha beta…", result);
    }

    [Fact]
    public void Truncate_ShortText_TrimsOnly()
    {
        Assert.Equal("short", MessageLimits.Truncate("  short \n", 10));
    }

    [Fact]
    public void Truncate_NoSpaces_CutsMidWordWithoutSplittingSurrogates()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 10));

        var result = MessageLimits.Truncate(emoji, 6);

        Assert.Equal("😀😀…", result);
    }

    [Fact]
    public void TruncateContent_Over2000_Fits()
    {
        var result = MessageLimits.TruncateContent(Words)!;

        Assert.InRange(result.Length, 1990, 2000);
        Assert.EndsWith("lorem…", result);
    }

    [Theory]
    [InlineData("title", 256)]
    [InlineData("description", 4096)]
    [InlineData("footer", 2048)]
    [InlineData("author", 256)]
    public void Fit_SingleFieldOverLimit_TruncatedToLimit(string part, int limit)
    {
        var embed = part switch
        {
            "title" => new Embed { Title = Words },
            "description" => new Embed { Description = Words + Words },
            "footer" => new Embed { Footer = new EmbedFooter { Text = Words } },
            _ => new Embed { Author = new EmbedAuthor { Name = Words } },
        };

        var fitted = Assert.Single(MessageLimits.Fit([embed])!);
        var text = part switch
        {
            "title" => fitted.Title,
            "description" => fitted.Description,
            "footer" => fitted.Footer!.Text,
            _ => fitted.Author!.Name,
        };

        Assert.InRange(text!.Length, limit - 10, limit);
        Assert.EndsWith("…", text);
    }

    [Fact]
    public void Fit_TooManyFieldsAndLongOnes_25FieldsWithinNameAndValueLimits()
    {
        var embed = new Embed { Fields = [.. Enumerable.Range(0, 30).Select(i => new EmbedField { Name = Words[..300], Value = Words[..1100] })] };

        var fields = Assert.Single(MessageLimits.Fit([embed])!).Fields!;

        Assert.True(fields.Count <= 25);
        Assert.All(fields, f => Assert.InRange(f.Name.Length, 1, 256));
        Assert.All(fields, f => Assert.InRange(f.Value.Length, 1, 1024));
        Assert.InRange(fields[0].Name.Length, 246, 256);
    }

    [Fact]
    public void Fit_ManyLargeEmbeds_AtMostTenAnd6000CharactersTotal()
    {
        var embeds = Enumerable.Range(0, 12).Select(_ => new Embed { Title = Words, Description = Words, Footer = new EmbedFooter { Text = Words } }).ToList();

        var fitted = MessageLimits.Fit(embeds)!;

        Assert.InRange(fitted.Count, 1, 10);
        var total = fitted.Sum(e => (e.Title?.Length ?? 0) + (e.Description?.Length ?? 0) + (e.Footer?.Text.Length ?? 0));
        Assert.InRange(total, 5900, 6000);
    }

    [Fact]
    public void Fit_ElevenSmallEmbeds_KeepsFirstTen()
    {
        var embeds = Enumerable.Range(0, 11).Select(i => new Embed { Title = $"t{i}" }).ToList();

        var fitted = MessageLimits.Fit(embeds)!;

        Assert.Equal(10, fitted.Count);
        Assert.Equal("t9", fitted[^1].Title);
    }
}
