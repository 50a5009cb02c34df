using System.Text;
using NewsBot.Feeds;
using NewsBot.Feeds.Fetching;
using NewsBot.Feeds.Opml;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class ExportHandler(ISourceStore sources) : ICommandHandler
{
    public string Name => "export";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var all = await sources.ListAsync(cancellationToken);
        using var stream = new MemoryStream();
        OpmlFile.Write(all.Where(s => s.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase)).Select(s => new OpmlFeed(s.Url, s.DisplayName, null)), stream);
        return new CommandReply([new ReplyHeading("Sources as OPML"), new ReplyCode(Encoding.UTF8.GetString(stream.ToArray()), "newsbot-sources.opml")]) { Private = true };
    }
}

public sealed class ImportHandler(FeedFetcher fetcher, ISourceStore sources, PollSignal pollSignal) : ICommandHandler
{
    public string Name => "import";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var url = context.String("url")!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return CommandReply.Error($"\"{url}\" is not an http(s) link to an OPML file.");
        }

        var fetched = await fetcher.FetchAsync(new FetchRequest(url), cancellationToken);
        if (fetched.Status != FetchStatus.Ok)
        {
            return CommandReply.Error($"Could not fetch {url}: {fetched.Error}.");
        }

        using var stream = new MemoryStream(fetched.Content);
        var read = OpmlFile.Read(stream);
        if (read.Error is not null)
        {
            return CommandReply.Error($"That is not an OPML file NewsBot can read: {read.Error}.");
        }

        var added = 0;
        foreach (var feed in read.Feeds.Where(f => Uri.TryCreate(f.Url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
        {
            var (_, created) = await sources.AddAsync(feed.Url, feed.Title, FullTextMode.Auto, fromConfig: false, SourceKind.Feed, cancellationToken);
            added += created ? 1 : 0;
        }

        pollSignal.Notify();
        return CommandReply.Text($"Imported {added} new sources ({read.Feeds.Count - added} already known or not http). /subscribe <id> to post them here.") with { Private = true };
    }
}
