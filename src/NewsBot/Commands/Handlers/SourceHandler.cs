using NewsBot.Feeds;
using NewsBot.Feeds.Discovery;
using NewsBot.Feeds.Fetching;
using NewsBot.Feeds.Pages;
using NewsBot.Feeds.Parsing;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

/// <summary>/source add|remove|pause|resume — admins only (checked by the router).</summary>
public sealed class SourceHandler(
    FeedDiscoverer discoverer,
    FeedFetcher fetcher,
    FeedParser parser,
    IndexPageParser pageParser,
    ISourceStore sources,
    SourceLookup lookup,
    PollSignal pollSignal) : ICommandHandler
{
    public string Name => "source";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var target = context.String("target")!;
        if (context.String("action") == "add")
        {
            return await AddAsync(target, context.String("name"), context.String("fulltext"), cancellationToken);
        }

        var source = await lookup.FindAsync(target, cancellationToken);
        if (source is null)
        {
            return CommandReply.Error($"No source matches \"{target}\". /sources lists them.");
        }

        switch (context.String("action"))
        {
            case "remove":
                await sources.RemoveAsync(source.Id, cancellationToken);
                return CommandReply.Text($"Removed \"{source.DisplayName}\" with its articles and subscriptions.") with { Private = true };
            case "pause":
                await sources.SetPausedAsync(source.Id, paused: true, cancellationToken);
                return CommandReply.Text($"Paused \"{source.DisplayName}\". /source resume {source.Id} starts it again.") with { Private = true };
            default:
                await sources.SetPausedAsync(source.Id, paused: false, cancellationToken);
                pollSignal.Notify();
                return CommandReply.Text($"Resumed \"{source.DisplayName}\"; polling it now.") with { Private = true };
        }
    }

    private async Task<CommandReply> AddAsync(string url, string? name, string? fullText, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return CommandReply.Error($"\"{url}\" is not an http(s) link. Give the address of a feed or of a news page.");
        }

        // A feed behind the page if there is one; else the page itself, read as an index of article links.
        var discovered = await discoverer.DiscoverAsync(url, cancellationToken);
        var kind = discovered.Feeds.Count > 0 ? SourceKind.Feed : SourceKind.Page;
        var feedUrl = kind == SourceKind.Feed ? discovered.Feeds[0].Url.ToString() : url;
        var fetched = await fetcher.FetchAsync(new FetchRequest(feedUrl), cancellationToken);
        if (fetched.Status != FetchStatus.Ok)
        {
            return CommandReply.Error($"Could not fetch {feedUrl}: {fetched.Error}.");
        }

        var parsed = kind == SourceKind.Feed
            ? parser.Parse(fetched.Content, fetched.ContentType, fetched.FinalUri)
            : pageParser.Parse(fetched.Content, fetched.ContentType, fetched.FinalUri ?? uri, null);
        if (parsed.Feed is not { } feed)
        {
            return CommandReply.Error(kind == SourceKind.Feed
                ? $"{feedUrl} is not a feed NewsBot can read: {parsed.Error}."
                : $"No feed found at {url}, and the page lists no article links NewsBot recognises ({parsed.Error}).");
        }

        var mode = fullText is null ? FullTextMode.Auto : Enum.Parse<FullTextMode>(fullText, ignoreCase: true);
        var (source, created) = await sources.AddAsync(feedUrl, name ?? feed.Title, mode, fromConfig: false, kind, cancellationToken);
        pollSignal.Notify();
        var preview = feed.Items.Take(3).Select(i => new ReplyLine(i.Title ?? "(untitled)", i.Link)).ToList();
        return new CommandReply([
            new ReplyParagraph(created
                ? $"Added source {source.Id}: \"{source.DisplayName}\" ({feedUrl}{(kind == SourceKind.Page ? ", a page without a feed: its article links are followed" : "")}), {feed.Items.Count} items now. Subscribe a channel with /subscribe {source.Id}."
                : $"\"{source.DisplayName}\" is already source {source.Id}."),
            new ReplyHeading("It would post, for example"),
            new ReplyList(preview),
        ]) { Private = true };
    }
}
