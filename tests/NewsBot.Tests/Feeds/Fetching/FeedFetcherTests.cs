using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Feeds.Fetching;

namespace NewsBot.Tests.Feeds.Fetching;

public class FeedFetcherTests
{
    private const string Rss = "<rss version=\"2.0\"><channel><title>t</title></channel></rss>";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FetchAsync_Ok_ReturnsBodyValidatorsContentTypeAndMaxAge()
    {
        string? userAgent = null;
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/feed", async context =>
        {
            userAgent = context.Request.Headers.UserAgent;
            context.Response.ContentType = "application/rss+xml; charset=utf-8";
            context.Response.Headers.ETag = "\"v1\"";
            context.Response.Headers.LastModified = "Wed, 25 Nov 2026 10:00:00 GMT";
            context.Response.Headers.CacheControl = "public, max-age=900";
            await context.Response.WriteAsync(Rss);
        }));
        await using var services = FetchingTestServices.Create(options => options.UserAgent = "NewsBotTest/2.0");

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/feed")), Token);

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(Rss, Encoding.UTF8.GetString(result.Content));
        Assert.Equal("application/rss+xml; charset=utf-8", result.ContentType);
        Assert.Equal("\"v1\"", result.ETag);
        Assert.Equal("Wed, 25 Nov 2026 10:00:00 GMT", result.LastModified);
        Assert.Equal(TimeSpan.FromSeconds(900), result.MaxAge);
        Assert.Equal(new Uri(server.Url("/feed")), result.FinalUri);
        Assert.Null(result.PermanentRedirect);
        Assert.Equal("NewsBotTest/2.0", userAgent);
    }

    [Fact]
    public async Task FetchAsync_ValidatorsMatch_ReturnsNotModifiedAndKeepsValidators()
    {
        string? ifNoneMatch = null;
        string? ifModifiedSince = null;
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/feed", async context =>
        {
            ifNoneMatch = context.Request.Headers.IfNoneMatch;
            ifModifiedSince = context.Request.Headers.IfModifiedSince;
            if (ifNoneMatch == "W/\"v1\"")
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            await context.Response.WriteAsync(Rss);
        }));
        await using var services = FetchingTestServices.Create();

        var result = await services.Fetcher().FetchAsync(
            new FetchRequest(server.Url("/feed"), "W/\"v1\"", "Wed, 25 Nov 2026 10:00:00 GMT"), Token);

        Assert.Equal(FetchStatus.NotModified, result.Status);
        Assert.Equal(304, result.HttpStatus);
        Assert.Empty(result.Content);
        Assert.Equal("W/\"v1\"", result.ETag);
        Assert.Equal("Wed, 25 Nov 2026 10:00:00 GMT", result.LastModified);
        Assert.Equal("W/\"v1\"", ifNoneMatch);
        Assert.Equal("Wed, 25 Nov 2026 10:00:00 GMT", ifModifiedSince);
    }

    [Fact]
    public async Task FetchAsync_NotModifiedWithNewETag_ReturnsNewETag()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/feed", context =>
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            context.Response.Headers.ETag = "\"v2\"";
            return Task.CompletedTask;
        }));
        await using var services = FetchingTestServices.Create();

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/feed"), "\"v1\""), Token);

        Assert.Equal(FetchStatus.NotModified, result.Status);
        Assert.Equal("\"v2\"", result.ETag);
    }

    [Theory]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    public async Task FetchAsync_TemporaryRedirect_FollowsWithoutMovingTheSource(int status)
    {
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/old", context => Redirect(context, status, "/new"));
            app.MapGet("/new", context => context.Response.WriteAsync(Rss));
        });
        await using var services = FetchingTestServices.Create();

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/old")), Token);

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(new Uri(server.Url("/new")), result.FinalUri);
        Assert.Null(result.PermanentRedirect);
    }

    [Fact]
    public async Task FetchAsync_PermanentRedirects_ReportsWhereTheSourceMoved()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/a", context => Redirect(context, 301, "/b"));
            app.MapGet("/b", context => Redirect(context, 308, AbsoluteUrl(context, "/c")));
            app.MapGet("/c", context => context.Response.WriteAsync(Rss));
        });
        await using var services = FetchingTestServices.Create();

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/a")), Token);

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(server.Url("/c"), result.PermanentRedirect);
    }

    [Fact]
    public async Task FetchAsync_PermanentThenTemporary_ReportsOnlyThePermanentHop()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/a", context => Redirect(context, 301, "/b"));
            app.MapGet("/b", context => Redirect(context, 302, "/c"));
            app.MapGet("/c", context => context.Response.WriteAsync(Rss));
        });
        await using var services = FetchingTestServices.Create();

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/a")), Token);

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(server.Url("/b"), result.PermanentRedirect);
        Assert.Equal(new Uri(server.Url("/c")), result.FinalUri);
    }

    [Fact]
    public async Task FetchAsync_RedirectLoop_FailsWithLoop()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/a", context => Redirect(context, 302, "/b"));
            app.MapGet("/b", context => Redirect(context, 302, "/a"));
        });
        await using var services = FetchingTestServices.Create();

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/a")), Token);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal($"fetch.redirect_loop: {server.Url("/a")}", result.Error);
    }

    [Theory]
    [InlineData(3, FetchStatus.Ok)]
    [InlineData(2, FetchStatus.Failed)]
    public async Task FetchAsync_RedirectChainOfThree_FollowsOnlyUpToMaxRedirects(int maxRedirects, FetchStatus expected)
    {
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/hop/{n:int}", (HttpContext context, int n) =>
                n < 3 ? Redirect(context, 302, $"/hop/{n + 1}") : context.Response.WriteAsync(Rss));
        });
        await using var services = FetchingTestServices.Create(options => options.MaxRedirects = maxRedirects);

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/hop/0")), Token);

        Assert.Equal(expected, result.Status);
        if (expected == FetchStatus.Failed)
        {
            Assert.Equal("fetch.too_many_redirects: more than 2", result.Error);
        }
    }

    [Fact]
    public async Task FetchAsync_RedirectToFile_FailsWithBadScheme()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/a", context => Redirect(context, 302, "file:///etc/passwd")));
        await using var services = FetchingTestServices.Create();

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/a")), Token);

        Assert.Equal("fetch.bad_scheme: file", result.Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FetchAsync_BodyOverLimit_FailsTooLarge(bool declareLength)
    {
        var body = new byte[2 * 1024 * 1024];
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/big", async context =>
        {
            if (declareLength)
            {
                context.Response.ContentLength = body.Length;
            }

            await context.Response.Body.WriteAsync(body);
        }));
        await using var services = FetchingTestServices.Create(options => options.MaxBytes = 1024 * 1024);

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/big")), Token);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal("fetch.too_large: more than 1048576 bytes", result.Error);
    }

    [Fact]
    public async Task FetchAsync_BodyExactlyAtLimit_IsAccepted()
    {
        var body = new byte[4096];
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/edge", context => context.Response.Body.WriteAsync(body).AsTask()));
        await using var services = FetchingTestServices.Create(options => options.MaxBytes = body.Length);

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/edge")), Token);

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(body.Length, result.Content.Length);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task FetchAsync_CompressedBody_IsDecompressed(string encoding)
    {
        var compressed = Compress(Encoding.UTF8.GetBytes(Rss), encoding);
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/z", context => WriteCompressed(context, compressed, encoding)));
        await using var services = FetchingTestServices.Create();

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/z")), Token);

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal(Rss, Encoding.UTF8.GetString(result.Content));
    }

    [Fact]
    public async Task FetchAsync_GzipBomb_FailsTooLargeCountingDecompressedBytes()
    {
        // 64 MiB of zeros is about 64 KiB on the wire: well under the limit before decompression.
        var bomb = Compress(new byte[64 * 1024 * 1024], "gzip");
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/bomb", context => WriteCompressed(context, bomb, "gzip")));
        await using var services = FetchingTestServices.Create(options => options.MaxBytes = 1024 * 1024);

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/bomb")), Token);

        Assert.True(bomb.Length < 1024 * 1024, $"the bomb should be small on the wire, was {bomb.Length} bytes");
        Assert.Equal("fetch.too_large: more than 1048576 bytes", result.Error);
    }

    [Fact]
    public async Task FetchAsync_ServerDripsOneBytePerSecond_TimesOutAtTheTotalDeadline()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));
        var headersSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/slow", async context =>
        {
            await context.Response.Body.WriteAsync("<"u8.ToArray(), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            headersSent.TrySetResult();
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, context.RequestAborted);
                    await context.Response.Body.WriteAsync("r"u8.ToArray(), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
                // The client hung up, as it should.
            }
        }));
        await using var services = FetchingTestServices.Create(options => options.Timeout = TimeSpan.FromSeconds(5), time);

        var fetch = services.Fetcher().FetchAsync(new FetchRequest(server.Url("/slow")), Token);
        await headersSent.Task.WaitAsync(Token);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(fetch.IsCompleted, "the deadline has not passed yet");
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await fetch.WaitAsync(TimeSpan.FromSeconds(10), Token);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal("fetch.timeout", result.Error);
    }

    [Fact]
    public async Task FetchAsync_ConnectionNeverEstablished_FailsWithConnectTimeout()
    {
        await using var services = FetchingTestServices.Create(
            options => options.ConnectTimeout = TimeSpan.FromMilliseconds(200), network: new UnansweredNetwork());

        var result = await services.Fetcher().FetchAsync(new FetchRequest("http://127.0.0.1:9/feed"), Token);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal("fetch.connect_timeout", result.Error);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task FetchAsync_RetryAfterSeconds_ReturnsDelay(int status)
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/busy", context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.RetryAfter = "120";
            return Task.CompletedTask;
        }));
        await using var services = FetchingTestServices.Create();

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/busy")), Token);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal($"fetch.http_status: {status}", result.Error);
        Assert.Equal(status, result.HttpStatus);
        Assert.Equal(TimeSpan.FromSeconds(120), result.RetryAfter);
    }

    [Fact]
    public async Task FetchAsync_RetryAfterDate_ReturnsTimeUntilThatDate()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/busy", context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "Thu, 26 Nov 2026 06:05:00 GMT";
            return Task.CompletedTask;
        }));
        await using var services = FetchingTestServices.Create(time: time);

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/busy")), Token);

        Assert.Equal(TimeSpan.FromMinutes(5), result.RetryAfter);
    }

    [Fact]
    public async Task FetchAsync_NotFound_FailsWithStatusAndNoRetryAfter()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/gone", context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.Headers.RetryAfter = "120";
            return Task.CompletedTask;
        }));
        await using var services = FetchingTestServices.Create();

        var result = await services.Fetcher().FetchAsync(new FetchRequest(server.Url("/gone")), Token);

        Assert.Equal("fetch.http_status: 404", result.Error);
        Assert.Null(result.RetryAfter);
    }

    [Fact]
    public async Task FetchAsync_FileWithoutAllowFile_IsRefused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"newsbot-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(path, Rss, Token);
        try
        {
            await using var services = FetchingTestServices.Create();

            var refused = await services.Fetcher().FetchAsync(new FetchRequest(path), Token);
            var allowed = await services.Fetcher().FetchAsync(new FetchRequest(path, AllowFile: true), Token);

            Assert.Equal(FetchStatus.Failed, refused.Status);
            Assert.StartsWith("fetch.file_not_allowed", refused.Error, StringComparison.Ordinal);
            Assert.Equal(FetchStatus.Ok, allowed.Status);
            Assert.Equal(Rss, Encoding.UTF8.GetString(allowed.Content));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task FetchAsync_CallerCancels_ThrowsInsteadOfReportingAFailure()
    {
        var requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/hang", async context =>
        {
            requestArrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }));
        await using var services = FetchingTestServices.Create();
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var fetch = services.Fetcher().FetchAsync(new FetchRequest(server.Url("/hang")), shutdown.Token);
        await requestArrived.Task.WaitAsync(Token);
        await shutdown.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
    }

    [Fact]
    public async Task FetchAsync_UnknownScheme_FailsWithBadScheme()
    {
        await using var services = FetchingTestServices.Create();

        var result = await services.Fetcher().FetchAsync(new FetchRequest("ftp://example.org/feed.xml"), Token);

        Assert.Equal("fetch.bad_scheme: ftp", result.Error);
    }

    private static string AbsoluteUrl(HttpContext context, string path) => $"{context.Request.Scheme}://{context.Request.Host}{path}";

    private static Task Redirect(HttpContext context, int status, string location)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    }

    private static byte[] Compress(byte[] data, string encoding)
    {
        using var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Fastest),
            // HTTP "deflate" is the zlib format (RFC 9110 section 8.4.1.2).
            "deflate" => new ZLibStream(output, CompressionLevel.Fastest),
            _ => new BrotliStream(output, CompressionLevel.Fastest),
        })
        {
            compressor.Write(data);
        }

        return output.ToArray();
    }

    private static async Task WriteCompressed(HttpContext context, byte[] compressed, string encoding)
    {
        context.Response.Headers.ContentEncoding = encoding;
        context.Response.ContentType = "application/rss+xml";
        await context.Response.Body.WriteAsync(compressed);
    }

    /// <summary>A network where every connection attempt hangs, as behind a firewall that drops packets.</summary>
    private sealed class UnansweredNetwork : FeedNetwork
    {
        public override async ValueTask<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
