namespace NewsBot.Feeds.Fetching;

public enum FetchStatus
{
    /// <summary>New content in <see cref="FetchResult.Content"/>.</summary>
    Ok,
    /// <summary>304: nothing changed since the validators we sent.</summary>
    NotModified,
    /// <summary><see cref="FetchResult.Error"/> says why.</summary>
    Failed,
}

/// <summary>What to fetch, with the validators of the previous answer for a conditional GET.</summary>
public sealed record FetchRequest(string Url, string? ETag = null, string? LastModified = null, bool AllowFile = false);

public sealed record FetchResult
{
    public FetchStatus Status { get; init; }
    public byte[] Content { get; init; } = [];
    public string? ContentType { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    /// <summary>The URL the content finally came from, after redirects.</summary>
    public Uri? FinalUri { get; init; }
    /// <summary>Set when a 301/308 moved the source for good: the stored URL should change.</summary>
    public string? PermanentRedirect { get; init; }
    /// <summary>Retry-After of a 429/503 (seconds or a date, as a delay from now).</summary>
    public TimeSpan? RetryAfter { get; init; }
    /// <summary>Cache-Control max-age of a 200 or 304: how long the server says the content stays fresh.</summary>
    public TimeSpan? MaxAge { get; init; }
    public int? HttpStatus { get; init; }
    /// <summary>A reason code and detail, e.g. "fetch.http_status: 503", "fetch.too_large", "fetch.blocked_address: 10.0.0.1".</summary>
    public string? Error { get; init; }

    public static FetchResult Failure(string error, int? httpStatus = null, TimeSpan? retryAfter = null) =>
        new() { Status = FetchStatus.Failed, Error = error, HttpStatus = httpStatus, RetryAfter = retryAfter };
}
