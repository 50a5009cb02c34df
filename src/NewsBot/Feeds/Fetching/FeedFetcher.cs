using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace NewsBot.Feeds.Fetching;

/// <summary>Fetches feeds and pages: local files (configuration only) and http(s) with conditional GET.</summary>
public sealed class FeedFetcher(IHttpClientFactory httpClientFactory, IOptions<FeedsOptions> options)
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

        var client = httpClientFactory.CreateClient(HttpClientName);
        using var message = new HttpRequestMessage(HttpMethod.Get, uri);
        if (request.ETag is not null)
        {
            message.Headers.TryAddWithoutValidation("If-None-Match", request.ETag);
        }

        if (request.LastModified is not null)
        {
            message.Headers.TryAddWithoutValidation("If-Modified-Since", request.LastModified);
        }

        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return new FetchResult { Status = FetchStatus.NotModified, HttpStatus = 304, ETag = request.ETag, LastModified = request.LastModified };
            }

            if (!response.IsSuccessStatusCode)
            {
                return FetchResult.Failure($"fetch.http_status: {(int)response.StatusCode}", (int)response.StatusCode, RetryAfterOf(response.Headers.RetryAfter));
            }

            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (content.LongLength > options.Value.MaxBytes)
            {
                return FetchResult.Failure("fetch.too_large");
            }

            return new FetchResult
            {
                Status = FetchStatus.Ok,
                Content = content,
                ContentType = response.Content.Headers.ContentType?.ToString(),
                ETag = response.Headers.ETag?.ToString(),
                LastModified = response.Content.Headers.LastModified?.ToString("R"),
                FinalUri = response.RequestMessage?.RequestUri ?? uri,
                HttpStatus = (int)response.StatusCode,
            };
        }
        catch (HttpRequestException ex)
        {
            return FetchResult.Failure($"fetch.network: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FetchResult.Failure("fetch.timeout");
        }
    }

    private static async Task<FetchResult> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return FetchResult.Failure($"fetch.file_missing: {path}");
        }

        return new FetchResult
        {
            Status = FetchStatus.Ok,
            Content = await File.ReadAllBytesAsync(path, cancellationToken),
            FinalUri = new Uri(Path.GetFullPath(path)),
        };
    }

    private static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header) => header?.Delta;
}
