namespace NewsBot.Reading;

/// <summary>Fetches an article page for reading, with the feed fetcher's limits and address checks.</summary>
public interface IPageFetcher
{
    /// <param name="allowFile">Whether file: URLs may be read (only for sources from configuration).</param>
    Task<PageFetchResult> FetchPageAsync(string url, bool allowFile, CancellationToken cancellationToken);
}

/// <summary>A fetched page (bytes, content type, the URL it finally came from) or the reason it could not be fetched.</summary>
public sealed record PageFetchResult
{
    public byte[] Content { get; init; } = [];
    public string? ContentType { get; init; }
    public Uri? FinalUrl { get; init; }
    /// <summary>A reason code and detail such as "fetch.http_status: 404"; null on success.</summary>
    public string? Error { get; init; }

    public bool Succeeded => Error is null;

    public static PageFetchResult Success(byte[] content, string? contentType, Uri finalUrl) =>
        new() { Content = content, ContentType = contentType, FinalUrl = finalUrl };

    public static PageFetchResult Failure(string error) => new() { Error = error };
}
