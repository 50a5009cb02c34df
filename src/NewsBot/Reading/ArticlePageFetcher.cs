using NewsBot.Feeds.Fetching;
using NewsBot.Feeds.Scheduling;

namespace NewsBot.Reading;

/// <summary>Article pages come through the feed fetcher: same size and time limits, same SSRF guard.</summary>
public sealed class ArticlePageFetcher(FeedFetcher fetcher, HostGate hostGate) : IPageFetcher
{
    public async Task<PageFetchResult> FetchPageAsync(string url, bool allowFile, CancellationToken cancellationToken)
    {
        var location = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : url;
        FetchResult fetched;
        using (await hostGate.EnterLocationAsync(location, cancellationToken))
        {
            fetched = await fetcher.FetchAsync(new FetchRequest(location, AllowFile: allowFile), cancellationToken);
        }

        return fetched.Status == FetchStatus.Ok
            ? PageFetchResult.Success(fetched.Content, fetched.ContentType, fetched.FinalUri ?? new Uri(url))
            : PageFetchResult.Failure(fetched.Error ?? "fetch.failed");
    }
}
