using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsBot.Feeds.Fetching;
using NewsBot.Feeds.Pages;
using NewsBot.Feeds.Parsing;
using NewsBot.Feeds.Processing;
using NewsBot.Model;
using NewsBot.Runtime;

namespace NewsBot.Feeds;

public static class FeedsServiceCollectionExtensions
{
    public static IServiceCollection AddFeeds(this IServiceCollection services)
    {
        services.AddOptions<FeedsOptions>().BindConfiguration(FeedsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<FeedsOptions>, FeedsOptionsValidator>();
        services.AddFeedFetching();
        services.AddSingleton<FeedParser>();
        services.AddSingleton<FeedItemProcessor>();
        services.AddSingleton<IndexPageParser>();
        services.AddSingleton<SourceRefresher>();
        services.AddSingleton<PollSignal>();
        services.AddSingleton<PollingActivity>();
        services.AddSingleton<IClusterHoldings>(sp => sp.GetRequiredService<PollingActivity>());
        services.AddHostedService<ConfiguredSourceSync>();
        services.AddSingleton<FeedPollingService>();
        services.AddHostedService(sp => sp.GetRequiredService<FeedPollingService>());
        return services;
    }
}

/// <summary>Checks what attributes cannot: relations between settings and the items of the Sources list.</summary>
internal sealed class FeedsOptionsValidator(IOptions<ClusterOptions> cluster) : IValidateOptions<FeedsOptions>
{
    public ValidateOptionsResult Validate(string? name, FeedsOptions options)
    {
        var failures = new List<string>();
        if (options.MinPollInterval > options.MaxPollInterval)
        {
            failures.Add("NewsBot:Feeds:MinPollInterval must not be greater than NewsBot:Feeds:MaxPollInterval.");
        }

        // A host leased by a process that died is polled by another once the lease lapses, DeadAfter after the dead
        // process's last heartbeat; within half the shortest interval, a source is still polled within twice its interval.
        var shortest = options.PollInterval < options.MinPollInterval ? options.MinPollInterval : options.PollInterval;
        shortest = shortest > options.MaxPollInterval ? options.MaxPollInterval : shortest;
        if (ValidCluster() is { Enabled: true } settings && settings.DeadAfter * 2 > shortest)
        {
            failures.Add(
                $"NewsBot:Cluster:DeadAfter ({settings.DeadAfter:c}) must be at most half the shortest poll interval ({shortest:c}, from NewsBot:Feeds:PollInterval " +
                "and MinPollInterval), so a dead process's sources are polled again within twice their interval.");
        }

        for (var i = 0; i < options.Sources.Count; i++)
        {
            var source = options.Sources[i];
            if (string.IsNullOrWhiteSpace(source.Url))
            {
                failures.Add($"NewsBot:Feeds:Sources:{i}:Url must be a file path or an http(s) URL.");
            }
            else if (Uri.TryCreate(source.Url, UriKind.Absolute, out var uri) && uri.Scheme is not ("http" or "https" or "file"))
            {
                failures.Add($"NewsBot:Feeds:Sources:{i}:Url has scheme '{uri.Scheme}'; use http, https or a file path.");
            }

            if (!Enum.TryParse<FullTextMode>(source.FullText, ignoreCase: true, out _))
            {
                failures.Add($"NewsBot:Feeds:Sources:{i}:FullText is '{source.FullText}'; allowed: auto, never, always.");
            }

            if (!Enum.TryParse<SourceKind>(source.Kind, ignoreCase: true, out _))
            {
                failures.Add($"NewsBot:Feeds:Sources:{i}:Kind is '{source.Kind}'; allowed: feed, page.");
            }

            if (source.LinkPattern is not null && IndexPageParser.ValidatePattern(source.LinkPattern) is { } patternError)
            {
                failures.Add($"NewsBot:Feeds:Sources:{i}:LinkPattern is not usable: {patternError}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The cluster settings, or null when they are invalid themselves: their own validation reports that, once.</summary>
    private ClusterOptions? ValidCluster()
    {
        try
        {
            return cluster.Value;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }
}
