using Microsoft.Extensions.Hosting;
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
    PollSignal pollSignal,
    IHostEnvironment environment) : ICommandHandler
{
    /// <summary>Advertised feeds tried before the page itself is read; each costs a request.</summary>
    private const int MaxFeedCandidates = 3;

    public string Name => "source";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var target = context.String("target")!;
        if (context.String("action") == "add")
        {
            return await AddAsync(context, target, cancellationToken);
        }

        var source = await lookup.FindAsync(target, cancellationToken);
        if (source is null)
        {
            return CommandReply.Error($"No source matches \"{target}\" (see /sources).");
        }

        switch (context.String("action"))
        {
            case "remove":
                return await RemoveAsync(source, cancellationToken);
            case "pause":
                await sources.SetPausedAsync(source.Id, paused: true, cancellationToken);
                return CommandReply.Text($"Paused \"{source.DisplayName}\". Start it again with /source resume {source.Id}.") with { Private = true };
            default:
                await sources.SetPausedAsync(source.Id, paused: false, cancellationToken);
                pollSignal.Notify();
                return CommandReply.Text($"Resumed \"{source.DisplayName}\"; polling it now.") with { Private = true };
        }
    }

    /// <summary>
    /// A configured source is not removed: the next start would add it back from configuration (and a tombstone would
    /// make appsettings.json say one thing and the bot do another). Pausing it lasts across restarts.
    /// </summary>
    private async Task<CommandReply> RemoveAsync(Source source, CancellationToken cancellationToken)
    {
        if (source.FromConfig)
        {
            return CommandReply.Error(
                $"\"{source.DisplayName}\" comes from configuration (NewsBot:Feeds:Sources in appsettings.json), so it would come back at the next start. " +
                $"/source pause {source.Id} stops it now and across restarts; to remove it for good, delete it from NewsBot:Feeds:Sources.");
        }

        if (await sources.RemoveAsync(source.Id, cancellationToken) is not { } removed)
        {
            return CommandReply.Error($"Source {source.Id} was already removed.");
        }

        return CommandReply.Text(
            $"Removed \"{source.DisplayName}\": it is no longer watched; {Count(removed.Articles, "stored article")} and {Count(removed.Subscriptions, "subscription")} deleted. " +
            "Articles already posted will not be posted again if it is added back.") with { Private = true };
    }

    private static string Count(long count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    private async Task<CommandReply> AddAsync(CommandContext context, string target, CancellationToken cancellationToken)
    {
        var mode = context.String("fulltext") is { } fullText ? Enum.Parse<FullTextMode>(fullText, ignoreCase: true) : FullTextMode.Auto;
        var isHttp = Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        if (isHttp)
        {
            return await AddWebAsync(target, context.String("name"), mode, cancellationToken);
        }

        // A local file: what configuration may list, so only the people who run this NewsBot may add one.
        var isPath = uri is null || uri.IsFile;
        if (!isPath || !context.IsOperator)
        {
            return CommandReply.Error(isPath
                ? $"\"{target}\" is a local file: only NewsBot's operators (the console, or the accounts in NewsBot:Owners) may add those. Give an http(s) link to a feed or a news page."
                : $"\"{target}\" is not an http(s) link. Give the address of a feed or of a news page.");
        }

        var path = Path.GetFullPath(uri?.LocalPath ?? Path.Combine(environment.ContentRootPath, target));
        var fetched = await fetcher.FetchAsync(new FetchRequest(path, AllowFile: true), cancellationToken);
        if (fetched.Status != FetchStatus.Ok)
        {
            return CommandReply.Error($"Could not read {path}: {FetchReasons.Describe(fetched.Error)}.");
        }

        var isFeed = FeedSniffer.LooksLikeFeed(fetched.Content);
        var parsed = isFeed ? parser.Parse(fetched.Content, fetched.ContentType, fetched.FinalUri) : pageParser.Parse(fetched.Content, fetched.ContentType, new Uri(path), null);
        return parsed.Feed is { } feed
            ? await SaveAsync(path, context.String("name"), mode, isFeed ? SourceKind.Feed : SourceKind.Page, feed, null, cancellationToken)
            : CommandReply.Error($"{path} is neither a feed nor a page with article links NewsBot can read: {parsed.Error}.");
    }

    private async Task<CommandReply> AddWebAsync(string url, string? name, FullTextMode mode, CancellationToken cancellationToken)
    {
        // The feeds behind the page if there are any; a dead advertised feed (a 404 is common after a site
        // redesign) falls back to the page itself, read as an index of article links.
        var discovered = await discoverer.DiscoverAsync(url, cancellationToken);
        string? deadFeed = null;
        foreach (var candidate in discovered.Feeds.Take(MaxFeedCandidates))
        {
            var feedUrl = candidate.Url.ToString();
            var fetched = await fetcher.FetchAsync(new FetchRequest(feedUrl), cancellationToken);
            var parsed = fetched.Status == FetchStatus.Ok ? parser.Parse(fetched.Content, fetched.ContentType, fetched.FinalUri) : null;
            if (parsed?.Feed is { } feed)
            {
                return await SaveAsync(feedUrl, name, mode, SourceKind.Feed, feed, null, cancellationToken);
            }

            var reason = parsed is null ? FetchReasons.Describe(fetched.Error) : $"it is not a feed NewsBot can read ({parsed.Error})";
            if (string.Equals(feedUrl.TrimEnd('/'), url.Trim().TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                return CommandReply.Error($"Could not add {url}: {reason}.");
            }

            deadFeed ??= $"The page advertises a feed at {feedUrl}, but {reason}";
        }

        var page = await fetcher.FetchAsync(new FetchRequest(url), cancellationToken);
        if (page.Status != FetchStatus.Ok)
        {
            return CommandReply.Error($"Could not fetch {url}: {FetchReasons.Describe(page.Error)}.");
        }

        var pageUri = page.FinalUri ?? new Uri(url);
        var read = pageParser.Parse(page.Content, page.ContentType, pageUri, null);
        if (read.Feed is not { } index)
        {
            return CommandReply.Error(deadFeed is null
                ? $"No feed found at {url}, and the page lists no article links NewsBot recognises ({read.Error})."
                : $"{deadFeed}; and the page itself lists no article links NewsBot recognises ({read.Error}).");
        }

        return await SaveAsync(url, name, mode, SourceKind.Page, index, deadFeed is null ? null : deadFeed + ". NewsBot reads the page itself instead, following its article links.", cancellationToken);
    }

    private async Task<CommandReply> SaveAsync(string location, string? name, FullTextMode mode, SourceKind kind, ParsedFeed feed, string? note, CancellationToken cancellationToken)
    {
        var (source, created) = await sources.AddAsync(location, name ?? feed.Title, mode, fromConfig: false, kind, cancellationToken);
        pollSignal.Notify();
        var what = kind == SourceKind.Page && note is null ? ", a page without a feed: its article links are followed" : "";
        var blocks = new List<ReplyBlock>
        {
            new ReplyParagraph(created
                ? $"Added source {source.Id}: \"{source.DisplayName}\" ({location}{what}), {feed.Items.Count} items now. Subscribe a channel with /subscribe {source.Id}."
                : $"\"{source.DisplayName}\" is already source {source.Id}."),
        };
        if (note is not null)
        {
            blocks.Add(new ReplyParagraph(note));
        }

        blocks.Add(new ReplyHeading("It would post, for example"));
        blocks.Add(new ReplyList(feed.Items.Take(3).Select(i => new ReplyLine(i.Title ?? "(untitled)", i.Link)).ToList()));
        return new CommandReply(blocks) { Private = true };
    }
}
