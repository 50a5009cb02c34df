using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NewsBot.Feeds.Discovery;
using NewsBot.Feeds.Scheduling;

namespace NewsBot.Feeds.Fetching;

public static class FetchingServiceCollectionExtensions
{
    /// <summary>
    /// The fetcher with its guarded "feeds" HttpClient, plus the poll planner, the per-host gate and feed
    /// discovery. Reads <see cref="FeedsOptions"/>; binding that section is the caller's job.
    /// </summary>
    public static IServiceCollection AddFeedFetching(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FeedNetwork>();
        services.TryAddSingleton<AddressGuard>();
        services.TryAddSingleton<FeedFetcher>();
        services.TryAddSingleton<FeedDiscoverer>();
        services.TryAddSingleton<HostGate>();
        services.TryAddSingleton(sp => new PollPlanner(sp.GetRequiredService<IOptions<FeedsOptions>>(), Random.Shared));

        services.AddHttpClient(FeedFetcher.HttpClientName, (sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<FeedsOptions>>().Value;
                client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.UserAgent);
                client.DefaultRequestHeaders.Accept.ParseAdd(
                    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5");
                // FeedFetcher keeps one deadline for all hops and the body; the client's own would cut across it.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<FeedsOptions>>().Value;
                var guard = sp.GetRequiredService<AddressGuard>();
                return new SocketsHttpHandler
                {
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
                    ConnectTimeout = options.ConnectTimeout,
                    // Redirects are followed by FeedFetcher so the guard sees every hop.
                    AllowAutoRedirect = false,
                    // A proxy would hide the real destination from the guard.
                    UseProxy = false,
                    UseCookies = false,
                    ConnectCallback = (context, cancellationToken) =>
                        guard.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken),
                };
            });
        return services;
    }
}
