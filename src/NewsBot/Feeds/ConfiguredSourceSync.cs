using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Feeds;

/// <summary>At start-up, makes the sources table hold every source listed in configuration.</summary>
public sealed class ConfiguredSourceSync(ISourceStore sources, IOptions<FeedsOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var configured in options.Value.Sources)
        {
            var kind = Enum.Parse<SourceKind>(configured.Kind, ignoreCase: true);
            var (source, _) = await sources.AddAsync(configured.Url, configured.Name, ParseFullText(configured.FullText), fromConfig: true, kind, cancellationToken);
            if (source.Kind != kind || source.LinkPattern != configured.LinkPattern)
            {
                await sources.SetKindAsync(source.Id, kind, configured.LinkPattern, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static FullTextMode ParseFullText(string value) => Enum.Parse<FullTextMode>(value, ignoreCase: true);
}
