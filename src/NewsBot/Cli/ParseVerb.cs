using NewsBot.Feeds.Fetching;
using NewsBot.Feeds.Parsing;

namespace NewsBot.Cli;

/// <summary><c>newsbot parse PATH_OR_URL...</c>: one JSON object per input (with "file" when several); exit 2 when any input failed.</summary>
public sealed class ParseVerb(FeedFetcher fetcher, FeedParser parser) : ICliVerb
{
    public string Name => "parse";

    public string Help => "parse PATH_OR_URL...     print each feed as JSON (format, title, link, language, items)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Count == 0)
        {
            await output.WriteLineAsync(FeedJson.ErrorJson(null, "usage: newsbot parse PATH_OR_URL..."));
            return 2;
        }

        return await CliDocument.ForEachAsync(fetcher, args, output, (document, file) =>
        {
            var result = parser.Parse(document.Content, document.ContentType, document.Url);
            return result.Feed is null ? CliOutput.Failed(result.Error ?? "feed.parse_failed") : CliOutput.Ok(FeedJson.ToJson(result.Feed, file));
        }, cancellationToken);
    }
}
