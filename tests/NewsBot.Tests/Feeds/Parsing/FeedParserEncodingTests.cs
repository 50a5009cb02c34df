using System.Text;
using NewsBot.Feeds.Parsing;

namespace NewsBot.Tests.Feeds.Parsing;

public sealed class FeedParserEncodingTests
{
    static FeedParserEncodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string Document(string encodingName, string title) =>
        $"""<?xml version="1.0" encoding="{encodingName}"?><rss version="2.0"><channel><title>{title}</title></channel></rss>""";

    private static string? TitleOf(byte[] bytes, string? contentType = null) =>
        new FeedParser().Parse(bytes, contentType, null).Feed?.Title;

    [Theory]
    [InlineData("windows-1252", "Crème brûlée – “quoted”")]
    [InlineData("ISO-8859-1", "Ça coûte 5 €")]
    [InlineData("ISO-8859-5", "Новости")]
    [InlineData("windows-1251", "Новости дня")]
    [InlineData("KOI8-R", "Погода в Москве")]
    [InlineData("Shift_JIS", "東京の天気")]
    [InlineData("EUC-JP", "東京の天気")]
    [InlineData("EUC-KR", "서울 날씨")]
    [InlineData("GB2312", "北京天气")]
    [InlineData("GBK", "北京天气")]
    [InlineData("GB18030", "北京天气")]
    [InlineData("Big5", "台北天氣")]
    [InlineData("windows-1255", "חדשות")]
    public void Parse_DeclaredEncoding_DecodesText(string encodingName, string title)
    {
        // ISO-8859-1 is read as its superset windows-1252, as browsers do, so the euro sign survives.
        var encoding = encodingName == "ISO-8859-1" ? Encoding.GetEncoding(1252) : Encoding.GetEncoding(encodingName);

        Assert.Equal(title, TitleOf(encoding.GetBytes(Document(encodingName, title))));
    }

    [Fact]
    public void Parse_HttpCharset_WinsOverXmlDeclaration()
    {
        var bytes = Encoding.GetEncoding("windows-1251").GetBytes(Document("utf-8", "Новости"));

        Assert.Equal("Новости", TitleOf(bytes, "application/rss+xml; charset=windows-1251"));
    }

    [Theory]
    [InlineData("utf-16LE")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32LE")]
    [InlineData("utf-32BE")]
    [InlineData("utf-8")]
    public void Parse_ByteOrderMark_WinsOverEverything(string encodingName)
    {
        var encoding = Encoding.GetEncoding(encodingName);
        byte[] bytes = [.. encoding.GetPreamble(), .. encoding.GetBytes(Document("iso-8859-1", "Zürich ✓"))];

        Assert.Equal("Zürich ✓", TitleOf(bytes, "text/xml; charset=iso-8859-1"));
    }

    [Fact]
    public void Parse_Utf16WithoutBom_IsSniffed()
    {
        Assert.Equal("Zürich", TitleOf(Encoding.BigEndianUnicode.GetBytes(Document("utf-16", "Zürich"))));
    }

    [Fact]
    public void Parse_InvalidUtf8_FallsBackToWindows1252()
    {
        var bytes = Encoding.GetEncoding(1252).GetBytes("<rss><channel><title>Café</title></channel></rss>");

        Assert.Equal("Café", TitleOf(bytes));
    }

    [Fact]
    public void Parse_DoubleEncodedUtf8_IsRepaired()
    {
        var once = Encoding.UTF8.GetBytes(Document("utf-8", "Actualités – «\u00A0Zürich\u00A0»"));
        var twice = Encoding.UTF8.GetBytes(Encoding.GetEncoding(1252).GetString(once));

        Assert.Equal("Actualités – « Zürich »", TitleOf(twice));
    }

    [Fact]
    public void Parse_LegitimateCapitalAWithTilde_IsKept()
    {
        Assert.Equal("São Paulo: Ã and Â", TitleOf(Encoding.UTF8.GetBytes(Document("utf-8", "São Paulo: Ã and Â"))));
    }

    [Fact]
    public void Parse_Utf8WithPastedWindows1252_KeepsBothReadable()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("<rss><channel><title>Zürich "), .. Encoding.GetEncoding(1252).GetBytes("Café"), .. Encoding.UTF8.GetBytes("</title></channel></rss>")];

        Assert.Equal("Zürich Café", TitleOf(bytes));
    }

    [Fact]
    public void Parse_NoDeclaration_DefaultsToUtf8()
    {
        Assert.Equal("Ünïcödé", TitleOf(Encoding.UTF8.GetBytes("<rss><channel><title>Ünïcödé</title></channel></rss>")));
    }
}
