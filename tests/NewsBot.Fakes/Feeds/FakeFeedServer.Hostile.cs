using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace NewsBot.Fakes.Feeds;

/// <summary>Paths of the hostile endpoints, relative to the server root.</summary>
public static class HostilePaths
{
    /// <summary>A valid RSS start followed by <see cref="FakeFeedOptions.HugeBodyBytes"/> of items, generated while streaming, no Content-Length.</summary>
    public const string HugeBody = "hostile/huge.xml";

    /// <summary>A small valid feed sent one byte per second.</summary>
    public const string Drip = "hostile/drip.xml";

    /// <summary>gzip Content-Encoding that expands to <see cref="FakeFeedOptions.GzipBombBytes"/> (about 1000:1).</summary>
    public const string GzipBomb = "hostile/gzip-bomb.xml";

    /// <summary>RSS declared UTF-8 whose titles hold invalid UTF-8 sequences.</summary>
    public const string InvalidUtf8 = "hostile/invalid-utf8.xml";

    /// <summary>External entities: a local file and an HTTP probe back to this server (<see cref="FakeFeedServer.XxeProbeHits"/>).</summary>
    public const string Xxe = "hostile/xxe.xml";

    public const string XxeProbe = "hostile/xxe-probe";

    /// <summary>Nested entity expansion ("billion laughs", 10^9 copies of a word).</summary>
    public const string BillionLaughs = "hostile/billion-laughs.xml";

    /// <summary>Items whose titles are <see cref="FakeFeedServer.HostileTitles"/>.</summary>
    public const string Markup = "hostile/markup.xml";

    /// <summary>One item whose title carries raw C0 control characters and terminal escapes, as sloppy feeds send them.</summary>
    public const string ControlCharacters = "hostile/control-characters.xml";

    /// <summary>302 to <see cref="FakeFeedOptions.PrivateRedirectTarget"/>.</summary>
    public const string RedirectPrivate = "hostile/redirect-private";
}

public sealed partial class FakeFeedServer
{
    /// <summary>Titles that try to ping, inject markup, or break a terminal or a chat message.</summary>
    public static IReadOnlyList<string> HostileTitles { get; } =
    [
        "@everyone free stuff @here",
        "<script>alert('x')</script><b>bold</b> <a href=\"javascript:alert(1)\">click</a>",
        "**markdown** __under__ ~~strike~~ `code` [link](https://example.com) <@123456789> <@&987654321> <#555>",
        "Right-to-left \u202egnp.exe zero\u200bwidth and a very long line " + new string('W', 3000),
    ];

    /// <summary>The title served raw at <see cref="HostilePaths.ControlCharacters"/> (not well-formed XML 1.0 on purpose).</summary>
    public const string ControlTitle = "Bell \u0007 escape \u001b[31mred\u001b[0m start \u0001 and back\bspace";

    private void MapHostile(WebApplication app)
    {
        app.MapGet("/" + HostilePaths.HugeBody, ServeHugeAsync);
        app.MapGet("/" + HostilePaths.Drip, ServeDripAsync);
        app.MapGet("/" + HostilePaths.GzipBomb, ServeGzipBombAsync);
        app.MapGet("/" + HostilePaths.InvalidUtf8, ServeInvalidUtf8Async);
        app.MapGet("/" + HostilePaths.Xxe, (HttpContext context) => WriteXmlAsync(context, XxeDocument()));
        app.MapGet("/" + HostilePaths.XxeProbe, (HttpContext context) =>
        {
            Interlocked.Increment(ref _xxeProbeHits);
            return WriteXmlAsync(context, "secret");
        });
        app.MapGet("/" + HostilePaths.BillionLaughs, (HttpContext context) => WriteXmlAsync(context, BillionLaughsDocument));
        app.MapGet("/" + HostilePaths.Markup, (HttpContext context) => WriteXmlAsync(context, MarkupDocument($"{context.Request.Scheme}://{context.Request.Host}/")));
        app.MapGet("/" + HostilePaths.ControlCharacters, (HttpContext context) => WriteXmlAsync(context, RssStart
            + $"<item><title><![CDATA[{ControlTitle}]]></title><link>http://hostile.test/control</link><guid>control</guid></item></channel></rss>"));
        app.MapGet("/" + HostilePaths.RedirectPrivate, (HttpContext context) => context.Response.Redirect(_options.PrivateRedirectTarget));
    }

    private const string RssStart = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Hostile</title><link>http://hostile.test/</link><description>x</description>""";

    private static readonly string BillionLaughsDocument = BuildBillionLaughs();

    private async Task ServeHugeAsync(HttpContext context)
    {
        context.Response.ContentType = "application/rss+xml";
        var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<item><title>filler</title><guid>same</guid></item>\n", 1200)));
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(RssStart), context.RequestAborted);
        for (var sent = 0L; sent < _options.HugeBodyBytes && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
        {
            await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
        }
    }

    private async Task ServeDripAsync(HttpContext context)
    {
        context.Response.ContentType = "application/rss+xml";
        var body = Encoding.UTF8.GetBytes(RssStart + "<item><title>slow</title></item></channel></rss>");
        foreach (var b in body)
        {
            await context.Response.Body.WriteAsync(new[] { b }, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(1), _time, context.RequestAborted);
        }
    }

    /// <summary>
    /// Gzip members may be concatenated and decode to the concatenation (RFC 1952 section 2.2), so one small
    /// member of compressed spaces, repeated, makes a body that expands about a thousandfold without being built in memory.
    /// </summary>
    private async Task ServeGzipBombAsync(HttpContext context)
    {
        const int MemberBytes = 1024 * 1024;
        var member = Gzip(Enumerable.Repeat((byte)' ', MemberBytes).ToArray());
        context.Response.ContentType = "application/rss+xml";
        context.Response.Headers.ContentEncoding = "gzip";
        await context.Response.Body.WriteAsync(Gzip(Encoding.UTF8.GetBytes(RssStart)), context.RequestAborted);
        for (var sent = 0L; sent < _options.GzipBombBytes && !context.RequestAborted.IsCancellationRequested; sent += MemberBytes)
        {
            await context.Response.Body.WriteAsync(member, context.RequestAborted);
        }
    }

    private static Task ServeInvalidUtf8Async(HttpContext context)
    {
        context.Response.ContentType = "application/rss+xml; charset=utf-8";
        using var body = new MemoryStream();
        body.Write(Encoding.UTF8.GetBytes(RssStart + "<item><title>Broken "));
        body.Write([0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80, 0xF8, 0x88, 0x80, 0x80, 0x80]);
        body.Write(Encoding.UTF8.GetBytes(" bytes</title><link>http://hostile.test/utf8</link><guid>utf8</guid></item></channel></rss>"));
        return context.Response.Body.WriteAsync(body.ToArray(), context.RequestAborted).AsTask();
    }

    private string XxeDocument() => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <!DOCTYPE rss [
          <!ENTITY file SYSTEM "file:///etc/passwd">
          <!ENTITY probe SYSTEM "{Url(HostilePaths.XxeProbe)}">
        ]>
        <rss version="2.0"><channel><title>XXE</title><link>http://hostile.test/</link><description>x</description>
        <item><title>File: &file;</title><link>http://hostile.test/xxe-file</link><guid>xxe-file</guid></item>
        <item><title>Probe: &probe;</title><link>http://hostile.test/xxe-probe</link><guid>xxe-probe</guid></item>
        </channel></rss>
        """;

    private static string BuildBillionLaughs()
    {
        var entities = new StringBuilder("<!ENTITY lol0 \"lol\">\n");
        for (var i = 1; i <= 9; i++)
        {
            entities.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">\n");
        }

        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE rss [
            {entities}]>
            <rss version="2.0"><channel><title>Laughs</title><link>http://hostile.test/</link><description>x</description>
            <item><title>&lol9;</title><link>http://hostile.test/laughs</link><guid>laughs</guid></item>
            </channel></rss>
            """;
    }

    private static string MarkupDocument(string site)
    {
        var xml = new StringBuilder(RssStart);
        for (var i = 0; i < HostileTitles.Count; i++)
        {
            var title = System.Security.SecurityElement.Escape(HostileTitles[i]);
            xml.Append($"<item><title>{title}</title><link>{site}items/hostile/{i}</link><guid>hostile-{i}</guid><description>{title} @everyone</description></item>");
        }

        return xml.Append("</channel></rss>").ToString();
    }

    private static Task WriteXmlAsync(HttpContext context, string document)
    {
        context.Response.ContentType = "application/rss+xml; charset=utf-8";
        return context.Response.WriteAsync(document, context.RequestAborted);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
