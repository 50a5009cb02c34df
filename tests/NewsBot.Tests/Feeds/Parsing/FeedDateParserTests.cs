using NewsBot.Feeds.Parsing;

namespace NewsBot.Tests.Feeds.Parsing;

public sealed class FeedDateParserTests
{
    [Theory]
    [InlineData("Tue, 28 Apr 2026 01:12:00 GMT", "2026-04-28T01:12:00Z")]
    [InlineData("Tue, 28 Apr 2026 01:12:00 +0000", "2026-04-28T01:12:00Z")]
    [InlineData("Mon, 27 Apr 2026 21:12:00 EDT", "2026-04-28T01:12:00Z")]
    [InlineData("Mon, 27 Apr 2026 18:12:00 PDT", "2026-04-28T01:12:00Z")]
    [InlineData("Mon, 27 Apr 2026 20:12:00 EST", "2026-04-28T01:12:00Z")]
    [InlineData("28 Apr 2026 01:12 UT", "2026-04-28T01:12:00Z")]
    [InlineData("Tue, 28 Apr 26 01:12:00 GMT", "2026-04-28T01:12:00Z")]
    [InlineData("Tue, 28 Apr 2026 01:12:00 Z", "2026-04-28T01:12:00Z")]
    [InlineData("Tue, 28 Apr 2026 02:12:00 A", "2026-04-28T01:12:00Z")]
    [InlineData("Tue, 28 Apr 2026 00:12:00 N", "2026-04-28T01:12:00Z")]
    [InlineData("Tue, 28 Apr 2026 03:12:00 +02:00", "2026-04-28T01:12:00Z")]
    [InlineData("Di, 28 Apr 2026 03:12:00 +0200", "2026-04-28T01:12:00Z")]
    [InlineData("mardi, 28 avr. 2026 03:12:00 +0200", "2026-04-28T01:12:00Z")]
    [InlineData("Tuesday, April 28, 2026 1:12 AM", "2026-04-28T01:12:00Z")]
    [InlineData("Tue Apr 28 01:12:00 2026", "2026-04-28T01:12:00Z")]
    [InlineData("2026-04-28T01:12:00Z", "2026-04-28T01:12:00Z")]
    [InlineData("2026-04-28T03:12:00+02:00", "2026-04-28T01:12:00Z")]
    [InlineData("2026-04-28T01:12:00.125Z", "2026-04-28T01:12:00.125Z")]
    [InlineData("2026-04-28 01:12:00", "2026-04-28T01:12:00Z")]
    [InlineData("2026-04-28T01:12Z", "2026-04-28T01:12:00Z")]
    [InlineData("20260428T011200Z", "2026-04-28T01:12:00Z")]
    [InlineData("2026-04-28", "2026-04-28T00:00:00Z")]
    [InlineData("Thu, 01 Jan 1970 00:00:00 GMT", "1970-01-01T00:00:00Z")]
    [InlineData("Fri, 31 Dec 99 23:59:59 GMT", "1999-12-31T23:59:59Z")]
    [InlineData("Mon, 27 Apr 2026 20:42:00 -0430", "2026-04-28T01:12:00Z")]
    [InlineData("8 Apr 2026 01:12", "2026-04-08T01:12:00Z")]
    [InlineData("Tue, 28 apr 2026 01:12:00 cest", "2026-04-27T23:12:00Z")]
    [InlineData("Tue, 28 Apr 2026 01:12:00 pm", "2026-04-28T13:12:00Z")]
    [InlineData("2026-04-28T06:42:00.5+05:30", "2026-04-28T01:12:00.5Z")]
    [InlineData("2026-04-28T03:12:00+0200", "2026-04-28T01:12:00Z")]
    public void Parse_CommonAndBrokenForms_GiveUtcInstant(string value, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), FeedDateParser.Parse(value));
        Assert.Equal(TimeSpan.Zero, FeedDateParser.Parse(value)!.Value.Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("Tue, 31 Feb 2026 01:12:00 GMT")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("Tue, 28 Apr 2026 25:12:00 GMT")]
    public void Parse_Unreadable_IsNull(string? value)
    {
        Assert.Null(FeedDateParser.Parse(value));
    }
}
