using System.Globalization;
using System.Text;
using NewsBot.Feeds;
using NewsBot.Feeds.Fetching;
using NewsBot.Feeds.Opml;
using NewsBot.Feeds.Parsing;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

/// <summary>
/// /export: the sources as OPML, with this channel's subscriptions and all their settings (filters, layout, templates,
/// mentions) in NewsBot's namespace, so /import of the file in a channel restores them there.
/// </summary>
public sealed class ExportHandler(ISourceStore sources, ISubscriptionStore subscriptions) : ICommandHandler
{
    private const int NamedLeftOut = 5;

    public string Name => "export";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var all = await sources.ListAsync(cancellationToken);
        var web = all.Where(s => s.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase)).ToList();
        var subscribed = await subscriptions.ListForChannelAsync(context.Channel.Id, cancellationToken);
        var bySource = subscribed.Where(s => s.Target == SubscriptionTarget.Source).ToDictionary(s => s.SourceId!.Value);
        var others = subscribed.Where(s => s.Target != SubscriptionTarget.Source)
            .Select(s => new OpmlTargetSubscription(s.TargetKey, SubscribeHandler.OptionsOf(s)))
            .ToList();
        using var stream = new MemoryStream();
        OpmlFile.Write(
            web.Select(s => new OpmlFeed(s.Url, s.DisplayName, null)
            {
                Subscription = bySource.TryGetValue(s.Id, out var subscription) ? SubscribeHandler.OptionsOf(subscription) : null,
            }),
            stream,
            others: others);
        var carried = others.Count + web.Count(s => bySource.ContainsKey(s.Id));
        var blocks = new List<ReplyBlock>
        {
            new ReplyHeading("Sources as OPML"),
            new ReplyCode(Encoding.UTF8.GetString(stream.ToArray()), "newsbot-sources.opml"),
        };
        if (carried > 0)
        {
            blocks.Add(new ReplyParagraph($"It carries this channel's {carried} subscription{(carried == 1 ? "" : "s")} with their settings (filters, layout, templates, mentions), restored in the channel where you run /import <url>."));
        }

        var local = all.Except(web).ToList();
        if (local.Count > 0)
        {
            var named = string.Join(", ", local.Take(NamedLeftOut).Select(s => $"\"{s.DisplayName}\" ({s.Url})"));
            var more = local.Count > NamedLeftOut ? $" and {local.Count - NamedLeftOut} more" : "";
            blocks.Add(new ReplyParagraph($"Left out {local.Count} source{(local.Count == 1 ? "" : "s")} on local files, which another reader cannot fetch: {named}{more}."));
        }

        return new CommandReply(blocks) { Private = true };
    }
}

/// <summary>
/// /import: each entry of an OPML file is checked (fetched and parsed) before it becomes a source, and reported. The
/// subscriptions an export carries are made again in this channel by /subscribe itself, with the same checks.
/// </summary>
public sealed class ImportHandler(FeedFetcher fetcher, FeedParser parser, ISourceStore sources, PollSignal pollSignal, SubscribeHandler subscribe, CommandCatalogue catalogue) : ICommandHandler
{
    /// <summary>Entries checked at once: an OPML file of a hundred feeds should not take a hundred timeouts in a row.</summary>
    private const int ParallelChecks = 4;

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
            return CommandReply.Error($"Could not fetch {url}: {FetchReasons.Describe(fetched.Error)}.");
        }

        using var stream = new MemoryStream(fetched.Content);
        var read = OpmlFile.Read(stream);
        if (read.Error is not null)
        {
            return CommandReply.Error($"That is not an OPML file NewsBot can read: {read.Error}.");
        }

        var known = (await sources.ListAsync(cancellationToken)).ToDictionary(s => s.Url, StringComparer.OrdinalIgnoreCase);
        var problems = new string?[read.Feeds.Count];
        await Parallel.ForAsync(0, read.Feeds.Count, new ParallelOptions { MaxDegreeOfParallelism = ParallelChecks, CancellationToken = cancellationToken }, async (i, token) =>
            problems[i] = known.ContainsKey(read.Feeds[i].Url) ? null : await ProblemAsync(read.Feeds[i].Url, token));

        var lines = new List<ReplyLine>();
        var added = new List<long>();
        for (var i = 0; i < read.Feeds.Count; i++)
        {
            var feed = read.Feeds[i];
            string outcome;
            if (known.TryGetValue(feed.Url, out var existing))
            {
                outcome = $"already known: source {existing.Id}";
            }
            else if (problems[i] is { } problem)
            {
                outcome = "not added: " + problem;
            }
            else
            {
                var (source, created) = await sources.AddAsync(feed.Url, feed.Title, FullTextMode.Auto, fromConfig: false, SourceKind.Feed, cancellationToken);
                known[feed.Url] = source;
                outcome = created ? $"added: source {source.Id}" : $"already known: source {source.Id}";
                if (created)
                {
                    added.Add(source.Id);
                }
            }

            if (feed.Subscription is { } options && known.TryGetValue(feed.Url, out var subscribed))
            {
                outcome += "; " + await SubscribeAsync(context, subscribed.Id.ToString(CultureInfo.InvariantCulture), options, cancellationToken);
            }

            lines.Add(new ReplyLine(feed.Title ?? feed.Url, feed.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? feed.Url : null, outcome));
        }

        foreach (var other in read.OtherSubscriptions)
        {
            lines.Add(new ReplyLine(other.Target, Detail: await SubscribeAsync(context, other.Target, other.Options, cancellationToken)));
        }

        if (added.Count > 0)
        {
            pollSignal.Notify();
        }

        var summary = $"Added {added.Count} of {read.Feeds.Count} entries." + (added.Count > 0 ? $" Subscribe a channel with /subscribe {added[0]}." : "");
        return new CommandReply([new ReplyHeading($"Import of {url}"), new ReplyList(lines), new ReplyParagraph(summary)]) { Private = true };
    }

    /// <summary>
    /// Makes an exported subscription in this channel with /subscribe's own checks (a template that no longer parses is
    /// refused with its reason). Role pings exist only on Discord, so elsewhere they are left out.
    /// </summary>
    private async Task<string> SubscribeAsync(CommandContext context, string target, IReadOnlyDictionary<string, string> options, CancellationToken cancellationToken)
    {
        var definition = catalogue.Find(subscribe.Name)!;
        var values = options
            .Where(o => o.Key is not ("preview" or ChannelOption.Name) && (o.Key != "mention" || context.Channel.Platform == Platform.Discord)
                && definition.Options.Any(d => d.Name == o.Key))
            .ToDictionary(o => o.Key, o => (object)o.Value, StringComparer.OrdinalIgnoreCase);
        values["target"] = target;
        var parsed = CommandArguments.Validate(definition, values);
        if (parsed.Error is not null)
        {
            return "not subscribed: " + parsed.Error;
        }

        var reply = await subscribe.HandleAsync(context with { Definition = definition, Options = parsed.Values }, cancellationToken);
        var said = string.Join(' ', reply.Blocks.OfType<ReplyParagraph>().Select(p => p.Text));
        return reply.IsError ? "not subscribed: " + said : "subscribed with its settings";
    }

    /// <summary>Why an entry cannot be a source (not http, unreachable, not a feed), or null when it is a feed.</summary>
    private async Task<string?> ProblemAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "not an http(s) link";
        }

        var fetched = await fetcher.FetchAsync(new FetchRequest(url), cancellationToken);
        if (fetched.Status != FetchStatus.Ok)
        {
            return FetchReasons.Describe(fetched.Error);
        }

        var parsed = parser.Parse(fetched.Content, fetched.ContentType, fetched.FinalUri);
        return parsed.Feed is null ? $"not a feed ({parsed.Error})" : null;
    }
}
