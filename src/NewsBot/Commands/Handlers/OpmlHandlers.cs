using System.Text;
using NewsBot.Feeds;
using NewsBot.Feeds.Fetching;
using NewsBot.Feeds.Opml;
using NewsBot.Feeds.Parsing;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Localization;

namespace NewsBot.Commands.Handlers;

public sealed class ExportHandler(ISourceStore sources) : ICommandHandler
{
    private const int NamedLeftOut = 5;

    public string Name => "export";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var texts = context.Texts;
        var all = await sources.ListAsync(cancellationToken);
        var web = all.Where(s => s.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase)).ToList();
        using var stream = new MemoryStream();
        OpmlFile.Write(web.Select(s => new OpmlFeed(s.Url, s.DisplayName, null)), stream);
        var blocks = new List<ReplyBlock> { new ReplyHeading(texts["Export.Heading"]), new ReplyCode(Encoding.UTF8.GetString(stream.ToArray()), "newsbot-sources.opml") };
        var local = all.Except(web).ToList();
        if (local.Count > 0)
        {
            var named = string.Join(", ", local.Take(NamedLeftOut).Select(s => $"{texts.Format("Target.Source", s.DisplayName)} ({s.Url})"));
            blocks.Add(new ReplyParagraph(texts.Format("Export.LeftOut", local.Count, local.Count > NamedLeftOut ? texts.Format("Export.AndMore", named, local.Count - NamedLeftOut) : named)));
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
        var texts = context.Texts;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return CommandReply.Error(texts.Format("Import.NotHttp", url));
        }

        var fetched = await fetcher.FetchAsync(new FetchRequest(url), cancellationToken);
        if (fetched.Status != FetchStatus.Ok)
        {
            return CommandReply.Error(texts.Format("Fetch.Failed", url, FetchReasons.Describe(fetched.Error, texts)));
        }

        using var stream = new MemoryStream(fetched.Content);
        var read = OpmlFile.Read(stream);
        if (read.Error is not null)
        {
            return CommandReply.Error(texts.Format("Import.NotOpml", read.Error));
        }

        var known = (await sources.ListAsync(cancellationToken)).ToDictionary(s => s.Url, StringComparer.OrdinalIgnoreCase);
        var problems = new string?[read.Feeds.Count];
        await Parallel.ForAsync(0, read.Feeds.Count, new ParallelOptions { MaxDegreeOfParallelism = ParallelChecks, CancellationToken = cancellationToken }, async (i, token) =>
            problems[i] = known.ContainsKey(read.Feeds[i].Url) ? null : await ProblemAsync(read.Feeds[i].Url, texts, token));

        var lines = new List<ReplyLine>();
        var added = new List<long>();
        for (var i = 0; i < read.Feeds.Count; i++)
        {
            var feed = read.Feeds[i];
            string outcome;
            if (known.TryGetValue(feed.Url, out var existing))
            {
                outcome = texts.Format("Import.Known", existing.Id);
            }
            else if (problems[i] is { } problem)
            {
                outcome = texts.Format("Import.NotAdded", problem);
            }
            else
            {
                var (source, created) = await sources.AddAsync(feed.Url, feed.Title, FullTextMode.Auto, fromConfig: false, SourceKind.Feed, cancellationToken);
                known[feed.Url] = source;
                outcome = texts.Format(created ? "Import.Added" : "Import.Known", source.Id);
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

        var summary = texts.Format("Import.Summary", added.Count, read.Feeds.Count) + (added.Count > 0 ? " " + texts.Format("Import.SubscribeHint", added[0]) : "");
        return new CommandReply([new ReplyHeading(texts.Format("Import.Heading", url)), new ReplyList(lines), new ReplyParagraph(summary)]) { Private = true };
    }

    /// <summary>Why an entry cannot be a source (not http, unreachable, not a feed), or null when it is a feed.</summary>
    private async Task<string?> ProblemAsync(string url, Texts texts, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return texts["Import.ProblemNotHttp"];
        }

        var fetched = await fetcher.FetchAsync(new FetchRequest(url), cancellationToken);
        if (fetched.Status != FetchStatus.Ok)
        {
            return FetchReasons.Describe(fetched.Error, texts);
        }

        var parsed = parser.Parse(fetched.Content, fetched.ContentType, fetched.FinalUri);
        return parsed.Feed is null ? texts.Format("Import.ProblemNotFeed", parsed.Error) : null;
    }
}
