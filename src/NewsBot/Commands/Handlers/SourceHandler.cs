using Microsoft.Extensions.Hosting;
using NewsBot.Feeds;
using NewsBot.Feeds.Discovery;
using NewsBot.Feeds.Fetching;
using NewsBot.Feeds.Pages;
using NewsBot.Feeds.Parsing;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Localization;

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
        var texts = context.Texts;
        if (context.String("action") == "add")
        {
            return await AddAsync(context, target, cancellationToken);
        }

        var source = await lookup.FindAsync(target, cancellationToken);
        if (source is null)
        {
            return CommandReply.Error(texts.Format("Lookup.NoSource", target));
        }

        switch (context.String("action"))
        {
            case "remove":
                return await RemoveAsync(source, texts, cancellationToken);
            case "pause":
                await sources.SetPausedAsync(source.Id, paused: true, cancellationToken);
                return CommandReply.Text(texts.Format("Source.Paused", source.DisplayName, source.Id)) with { Private = true };
            default:
                await sources.SetPausedAsync(source.Id, paused: false, cancellationToken);
                pollSignal.Notify();
                return CommandReply.Text(texts.Format("Source.Resumed", source.DisplayName)) with { Private = true };
        }
    }

    /// <summary>
    /// A configured source is not removed: the next start would add it back from configuration (and a tombstone would
    /// make appsettings.json say one thing and the bot do another). Pausing it lasts across restarts.
    /// </summary>
    private async Task<CommandReply> RemoveAsync(Source source, Texts texts, CancellationToken cancellationToken)
    {
        if (source.FromConfig)
        {
            return CommandReply.Error(texts.Format("Source.FromConfig", source.DisplayName, source.Id));
        }

        if (await sources.RemoveAsync(source.Id, cancellationToken) is not { } removed)
        {
            return CommandReply.Error(texts.Format("Source.AlreadyRemoved", source.Id));
        }

        return CommandReply.Text(texts.Format("Source.Removed", source.DisplayName, removed.Articles, removed.Subscriptions)) with { Private = true };
    }

    private async Task<CommandReply> AddAsync(CommandContext context, string target, CancellationToken cancellationToken)
    {
        var texts = context.Texts;
        var mode = context.String("fulltext") is { } fullText ? Enum.Parse<FullTextMode>(fullText, ignoreCase: true) : FullTextMode.Auto;
        var isHttp = Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        if (isHttp)
        {
            return await AddWebAsync(target, context.String("name"), mode, texts, cancellationToken);
        }

        // A local file: what configuration may list, so only the people who run this NewsBot may add one.
        var isPath = uri is null || uri.IsFile;
        if (!isPath || !context.IsOperator)
        {
            return CommandReply.Error(texts.Format(isPath ? "Source.LocalFileOperatorsOnly" : "Source.NotHttp", target));
        }

        var path = Path.GetFullPath(uri?.LocalPath ?? Path.Combine(environment.ContentRootPath, target));
        var fetched = await fetcher.FetchAsync(new FetchRequest(path, AllowFile: true), cancellationToken);
        if (fetched.Status != FetchStatus.Ok)
        {
            return CommandReply.Error(texts.Format("Source.CouldNotRead", path, FetchReasons.Describe(fetched.Error, texts)));
        }

        var isFeed = FeedSniffer.LooksLikeFeed(fetched.Content);
        var parsed = isFeed ? parser.Parse(fetched.Content, fetched.ContentType, fetched.FinalUri) : pageParser.Parse(fetched.Content, fetched.ContentType, new Uri(path), null);
        return parsed.Feed is { } feed
            ? await SaveAsync(path, context.String("name"), mode, isFeed ? SourceKind.Feed : SourceKind.Page, feed, null, texts, cancellationToken)
            : CommandReply.Error(texts.Format("Source.NotReadable", path, parsed.Error));
    }

    private async Task<CommandReply> AddWebAsync(string url, string? name, FullTextMode mode, Texts texts, CancellationToken cancellationToken)
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
                return await SaveAsync(feedUrl, name, mode, SourceKind.Feed, feed, null, texts, cancellationToken);
            }

            var reason = parsed is null ? FetchReasons.Describe(fetched.Error, texts) : texts.Format("Source.NotAFeed", parsed.Error);
            if (string.Equals(feedUrl.TrimEnd('/'), url.Trim().TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                return CommandReply.Error(texts.Format("Source.CouldNotAdd", url, reason));
            }

            deadFeed ??= texts.Format("Source.DeadFeed", feedUrl, reason);
        }

        var page = await fetcher.FetchAsync(new FetchRequest(url), cancellationToken);
        if (page.Status != FetchStatus.Ok)
        {
            return CommandReply.Error(texts.Format("Fetch.Failed", url, FetchReasons.Describe(page.Error, texts)));
        }

        var pageUri = page.FinalUri ?? new Uri(url);
        var read = pageParser.Parse(page.Content, page.ContentType, pageUri, null);
        if (read.Feed is not { } index)
        {
            return CommandReply.Error(deadFeed is null
                ? texts.Format("Source.NoFeedNoLinks", url, read.Error)
                : texts.Format("Source.DeadFeedNoLinks", deadFeed, read.Error));
        }

        return await SaveAsync(url, name, mode, SourceKind.Page, index, deadFeed is null ? null : texts.Format("Source.ReadsPage", deadFeed), texts, cancellationToken);
    }

    private async Task<CommandReply> SaveAsync(string location, string? name, FullTextMode mode, SourceKind kind, ParsedFeed feed, string? note, Texts texts, CancellationToken cancellationToken)
    {
        var (source, created) = await sources.AddAsync(location, name ?? feed.Title, mode, fromConfig: false, kind, cancellationToken);
        pollSignal.Notify();
        var what = kind == SourceKind.Page && note is null ? texts["Source.PageKind"] : "";
        var blocks = new List<ReplyBlock>
        {
            new ReplyParagraph(created
                ? texts.Format("Source.Added", source.Id, source.DisplayName, location, what, feed.Items.Count)
                : texts.Format("Source.AlreadyKnown", source.DisplayName, source.Id)),
        };
        if (note is not null)
        {
            blocks.Add(new ReplyParagraph(note));
        }

        blocks.Add(new ReplyHeading(texts["Source.Example"]));
        blocks.Add(new ReplyList(feed.Items.Take(3).Select(i => new ReplyLine(i.Title ?? texts["Post.Untitled"], i.Link)).ToList()));
        return new CommandReply(blocks) { Private = true };
    }
}
