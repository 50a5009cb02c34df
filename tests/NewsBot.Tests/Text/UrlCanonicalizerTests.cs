using NewsBot.Text;

namespace NewsBot.Tests.Text;

public sealed class UrlCanonicalizerTests
{
    [Theory]
    [InlineData("https://Example.COM/a?utm_source=x&b=2#frag", "https://example.com/a?b=2")]
    [InlineData("http://example.com:80/a", "http://example.com/a")]
    [InlineData("/a/b", "https://base.example/a/b")]
    [InlineData("c", "https://base.example/dir/c")]
    [InlineData("mailto:me@example.com", "mailto:me@example.com")]
    public void Canonicalize_Link_IsAbsoluteWithoutTracking(string link, string expected)
    {
        Assert.Equal(expected, UrlCanonicalizer.Canonicalize(link, new Uri("https://base.example/dir/feed")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void Canonicalize_Missing_IsNull(string? link)
    {
        Assert.Null(UrlCanonicalizer.Canonicalize(link, null));
    }

    [Fact]
    public void IdentityOf_SchemeWwwAndTrailingSlash_AreIgnored()
    {
        Assert.Equal(UrlCanonicalizer.IdentityOf("http://www.example.com/a/"), UrlCanonicalizer.IdentityOf("https://example.com/a"));
    }
}
