using System.Buffers;
using System.Net;
using Microsoft.Extensions.Options;

namespace NewsBot.Feeds.Fetching;

/// <summary>
/// Fetches feeds and pages: local files (configuration only) and http(s) with conditional GET, a total time
/// limit, a size limit counted after decompression and redirects followed by hand so that every hop passes
/// the <see cref="AddressGuard"/>. Every expected failure is a <see cref="FetchResult"/> with a reason.
/// </summary>
public sealed class FeedFetcher(IHttpClientFactory httpClientFactory, IOptions<FeedsOptions> options, TimeProvider timeProvider)
{
    public const string HttpClientName = "feeds";

    public async Task<FetchResult> FetchAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var uri) || uri.IsFile)
        {
            return request.AllowFile
                ? await ReadFileAsync(uri?.LocalPath ?? request.Url, cancellationToken)
                : FetchResult.Failure("fetch.file_not_allowed: local files are accepted only from configuration");
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            return FetchResult.Failure($"fetch.bad_scheme: {uri.Scheme}");
        }

        // One deadline for the whole fetch, redirects and body included: a server that drips one byte at a
        // time never trips a per-read timeout.
        using var deadline = new CancellationTokenSource(options.Value.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await FetchHttpAsync(uri, request, linked.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ReasonOf(ex, deadline.IsCancellationRequested) is { } reason)
        {
            return FetchResult.Failure(reason);
        }
    }

    private async Task<FetchResult> FetchHttpAsync(Uri uri, FetchRequest request, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        var current = uri;
        var visited = new HashSet<Uri> { uri };
        string? permanentRedirect = null;
        var onlyPermanentSoFar = true;
        for (var redirects = 0; ; redirects++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, current);
            AddValidators(message, request);
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is not (301 or 302 or 303 or 307 or 308))
            {
                var result = await ReadResponseAsync(response, request, cancellationToken);
                return result.Status == FetchStatus.Failed ? result : result with { FinalUri = current, PermanentRedirect = permanentRedirect };
            }

            if (response.Headers.Location is not { } location)
            {
                return FetchResult.Failure($"fetch.bad_redirect: {status} without Location", status);
            }

            if (redirects == options.Value.MaxRedirects)
            {
                return FetchResult.Failure($"fetch.too_many_redirects: more than {options.Value.MaxRedirects}", status);
            }

            // Location may be relative to the request URL (RFC 9110 section 10.2.2).
            var next = new Uri(current, location);
            if (next.Scheme is not ("http" or "https"))
            {
                return FetchResult.Failure($"fetch.bad_scheme: {next.Scheme}", status);
            }

            if (!visited.Add(next))
            {
                return FetchResult.Failure($"fetch.redirect_loop: {next.AbsoluteUri}", status);
            }

            // Only an unbroken chain of 301/308 from the stored URL says the source itself moved.
            onlyPermanentSoFar &= status is 301 or 308;
            if (onlyPermanentSoFar)
            {
                permanentRedirect = next.AbsoluteUri;
            }

            current = next;
        }
    }

    private static void AddValidators(HttpRequestMessage message, FetchRequest request)
    {
        // Sent as stored: they are opaque echoes of the server's own headers (RFC 9110 section 13.1).
        if (request.ETag is not null)
        {
            message.Headers.TryAddWithoutValidation("If-None-Match", request.ETag);
        }

        if (request.LastModified is not null)
        {
            message.Headers.TryAddWithoutValidation("If-Modified-Since", request.LastModified);
        }
    }

    private async Task<FetchResult> ReadResponseAsync(HttpResponseMessage response, FetchRequest request, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var maxAge = response.Headers.CacheControl?.MaxAge;
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            // A 304 may carry fresh validators; otherwise the ones we sent still hold.
            return new FetchResult
            {
                Status = FetchStatus.NotModified,
                HttpStatus = status,
                ETag = HeaderOf(response, "ETag") ?? request.ETag,
                LastModified = HeaderOf(response, "Last-Modified") ?? request.LastModified,
                MaxAge = maxAge,
            };
        }

        if (!response.IsSuccessStatusCode)
        {
            var retryAfter = status is 429 or 503 ? RetryAfterOf(response) : null;
            return FetchResult.Failure($"fetch.http_status: {status}", status, retryAfter);
        }

        var maxBytes = options.Value.MaxBytes;
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes, status);
        }

        var content = await ReadCappedAsync(response.Content, maxBytes, cancellationToken);
        if (content is null)
        {
            return TooLarge(maxBytes, status);
        }

        return new FetchResult
        {
            Status = FetchStatus.Ok,
            HttpStatus = status,
            Content = content,
            ContentType = response.Content.Headers.ContentType?.ToString(),
            ETag = HeaderOf(response, "ETag"),
            LastModified = HeaderOf(response, "Last-Modified"),
            MaxAge = maxAge,
        };
    }

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> of the decoded body. The handler decompresses, so the count is
    /// of what a gzip bomb expands to, and reading stops as soon as the limit is passed. The body is gathered in
    /// pooled chunks and copied once, so an unknown length costs no doubling reallocations.
    /// </summary>
    private static async Task<byte[]?> ReadCappedAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        const int ChunkSize = 64 * 1024;
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var chunks = new List<byte[]>();
        var total = 0L;
        var filled = ChunkSize;
        try
        {
            while (true)
            {
                if (filled == ChunkSize)
                {
                    chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
                    filled = 0;
                }

                var read = await stream.ReadAsync(chunks[^1].AsMemory(filled, ChunkSize - filled), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                total += read;
                if (total > maxBytes)
                {
                    return null;
                }
            }

            var body = new byte[total];
            for (var i = 0; i < chunks.Count; i++)
            {
                var length = i == chunks.Count - 1 ? filled : ChunkSize;
                chunks[i].AsSpan(0, length).CopyTo(body.AsSpan(i * ChunkSize));
            }

            return body;
        }
        finally
        {
            chunks.ForEach(chunk => ArrayPool<byte>.Shared.Return(chunk));
        }
    }

    private async Task<FetchResult> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return FetchResult.Failure($"fetch.file_missing: {path}");
        }

        if (file.Length > options.Value.MaxBytes)
        {
            return TooLarge(options.Value.MaxBytes, null);
        }

        return new FetchResult
        {
            Status = FetchStatus.Ok,
            Content = await File.ReadAllBytesAsync(file.FullName, cancellationToken),
            FinalUri = new Uri(file.FullName),
        };
    }

    private static FetchResult TooLarge(long maxBytes, int? status) =>
        FetchResult.Failure($"fetch.too_large: more than {maxBytes} bytes", status);

    private static string? HeaderOf(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;

    /// <summary>Retry-After is either seconds or an HTTP date (RFC 9110 section 10.2.3).</summary>
    private TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => Max(date - timeProvider.GetUtcNow(), TimeSpan.Zero),
        _ => null,
    };

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>The reason code of an expected failure; null for an exception that is a bug and should surface.</summary>
    private static string? ReasonOf(Exception exception, bool deadlinePassed)
    {
        if (exception is not (OperationCanceledException or HttpRequestException or IOException or InvalidDataException))
        {
            return null;
        }

        if (deadlinePassed)
        {
            return "fetch.timeout";
        }

        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is FetchRefusedException refused)
            {
                return refused.Reason;
            }
        }

        return exception switch
        {
            // Neither the caller nor our deadline: the handler's ConnectTimeout.
            OperationCanceledException => "fetch.connect_timeout",
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => $"fetch.dns: {exception.Message}",
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => $"fetch.tls: {exception.Message}",
            InvalidDataException => $"fetch.bad_encoding: {exception.Message}",
            _ => $"fetch.network: {exception.Message}",
        };
    }
}
