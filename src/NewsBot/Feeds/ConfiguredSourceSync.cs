using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Feeds;

/// <summary>
/// At start-up, makes the sources table follow configuration: every configured source exists with its settings; a
/// source whose URL was changed at its position in the list moves to the new URL (keeping its id, subscriptions and
/// archive); one no longer configured stops being polled.
/// </summary>
public sealed partial class ConfiguredSourceSync(
    ISourceStore sources,
    IOptions<FeedsOptions> options,
    IConfiguration configuration,
    ILogger<ConfiguredSourceSync> logger) : IHostedService
{
    public const string NotConfiguredReason = "no longer in NewsBot:Feeds:Sources";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.Sources;
        var urls = configured.Select(c => c.Url).ToHashSet(StringComparer.Ordinal);
        for (var slot = 0; slot < configured.Count; slot++)
        {
            var entry = configured[slot];
            if (await sources.GetByUrlAsync(entry.Url, cancellationToken) is null
                && await sources.GetByConfigSlotAsync(slot, cancellationToken) is { } previous
                && !urls.Contains(previous.Url))
            {
                await sources.MoveAsync(previous.Id, entry.Url, cancellationToken);
                LogMoved(logger, previous.Id, previous.Url, entry.Url);
            }

            var kind = Enum.Parse<SourceKind>(entry.Kind, ignoreCase: true);
            var name = NameBelongsToUrl(slot) ? entry.Name : null;
            var (source, _) = await sources.AddAsync(entry.Url, name, ParseFullText(entry.FullText), fromConfig: true, kind, cancellationToken);
            await sources.SetConfigSlotAsync(source.Id, slot, cancellationToken);
            if (source.Kind != kind || source.LinkPattern != entry.LinkPattern)
            {
                await sources.SetKindAsync(source.Id, kind, entry.LinkPattern, cancellationToken);
            }
        }

        foreach (var retired in await sources.RetireUnconfiguredAsync(urls, NotConfiguredReason, cancellationToken))
        {
            LogRetired(logger, retired.Id, retired.Url);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static FullTextMode ParseFullText(string value) => Enum.Parse<FullTextMode>(value, ignoreCase: true);

    /// <summary>
    /// A Name names the URL it was written with. When a later layer (an environment variable, a second settings
    /// file) overrides only the Url, the Name from an earlier layer belonged to the old URL: the feed's own title is
    /// used instead of showing the new feed under the old name.
    /// </summary>
    private bool NameBelongsToUrl(int slot)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return true;
        }

        var prefix = $"{FeedsOptions.Section}:Sources:{slot}:";
        return LayerOf(root, prefix + "Name") >= LayerOf(root, prefix + "Url");
    }

    private static int LayerOf(IConfigurationRoot root, string key)
    {
        for (var i = root.Providers.Count() - 1; i >= 0; i--)
        {
            if (root.Providers.ElementAt(i).TryGet(key, out _))
            {
                return i;
            }
        }

        return -1;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configured source {SourceId} moved from {OldUrl} to {SourceUrl}: it is read as new (its newest items are backfilled; nothing already posted is posted again)")]
    private static partial void LogMoved(ILogger logger, long sourceId, string oldUrl, string sourceUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {SourceId} ({SourceUrl}) is no longer in NewsBot:Feeds:Sources: it is not polled any more (its archive stays; /source remove {SourceId} deletes it)")]
    private static partial void LogRetired(ILogger logger, long sourceId, string sourceUrl);
}
