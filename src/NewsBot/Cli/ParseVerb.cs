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

        var exitCode = 0;
        foreach (var input in args)
        {
            var file = args.Count > 1 ? input : null;
            var fetched = await fetcher.FetchAsync(new FetchRequest(Path.Exists(input) ? Path.GetFullPath(input) : input, AllowFile: true), cancellationToken);
            if (fetched.Status != FetchStatus.Ok)
            {
                await output.WriteLineAsync(FeedJson.ErrorJson(file ?? input, fetched.Error ?? "fetch.failed"));
                exitCode = 2;
                continue;
            }

            var result = parser.Parse(fetched.Content, fetched.ContentType, fetched.FinalUri);
            if (result.Feed is null)
            {
                await output.WriteLineAsync(FeedJson.ErrorJson(file ?? input, result.Error ?? "feed.parse_failed"));
                exitCode = 2;
                continue;
            }

            await output.WriteLineAsync(FeedJson.ToJson(result.Feed, file));
        }

        return exitCode;
    }
}
