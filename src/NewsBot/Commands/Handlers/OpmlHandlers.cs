using System.Text;
using NewsBot.Feeds;
using NewsBot.Feeds.Fetching;
using NewsBot.Feeds.Opml;
using NewsBot.Feeds.Parsing;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class ExportHandler(ISourceStore sources) : ICommandHandler
{
    private const int NamedLeftOut = 5;

    public string Name => "export";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var all = await sources.ListAsync(cancellationToken);
        var web = all.Where(s => s.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase)).ToList();
        using var stream = new MemoryStream();
        OpmlFile.Write(web.Select(s => new OpmlFeed(s.Url, s.DisplayName, null)), stream);
        var blocks = new List<ReplyBlock> { new ReplyHeading("Sources as OPML"), new ReplyCode(Encoding.UTF8.GetString(stream.ToArray()), "newsbot-sources.opml") };
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

/// <summary>/import: each entry of an OPML file is checked (fetched and parsed) before it becomes a source, and reported.</summary>
public sealed class ImportHandler(FeedFetcher fetcher, FeedParser parser, ISourceStore sources, PollSignal pollSignal) : ICommandHandler
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

            lines.Add(new ReplyLine(feed.Title ?? feed.Url, feed.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? feed.Url : null, outcome));
        }

        if (added.Count > 0)
        {
            pollSignal.Notify();
        }

        var summary = $"Added {added.Count} of {read.Feeds.Count} entries." + (added.Count > 0 ? $" Subscribe a channel with /subscribe {added[0]}." : "");
        return new CommandReply([new ReplyHeading($"Import of {url}"), new ReplyList(lines), new ReplyParagraph(summary)]) { Private = true };
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
