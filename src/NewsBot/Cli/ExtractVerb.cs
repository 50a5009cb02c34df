using NewsBot.Feeds.Fetching;
using NewsBot.Feeds.Parsing;
using NewsBot.Reading;

namespace NewsBot.Cli;

/// <summary><c>newsbot extract PATH_OR_URL... [--url PAGE_URL]</c>: the article of each page as JSON.</summary>
public sealed class ExtractVerb(FeedFetcher fetcher, ArticleExtractor extractor) : ICliVerb
{
    public string Name => "extract";

    public string Help => "extract PATH_OR_URL... [--url PAGE_URL]   print each page's article as JSON (text, metadata, related links)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var (inputs, options) = CliArgs.Split(args, "--url");
        if (inputs.Count == 0)
        {
            await output.WriteLineAsync(FeedJson.ErrorJson(null, "usage: newsbot extract PATH_OR_URL... [--url PAGE_URL]"));
            return 2;
        }

        Uri? baseUrl = options.TryGetValue("--url", out var given) && Uri.TryCreate(given, UriKind.Absolute, out var parsed) ? parsed : null;
        return await CliDocument.ForEachAsync(fetcher, inputs, output, (document, file) =>
        {
            var pageUrl = baseUrl ?? document.Url;
            var article = extractor.Extract(document.Content, document.ContentType, pageUrl);
            return CliOutput.Ok(ExtractedArticleJson.ToJson(article, pageUrl?.ToString(), file));
        }, cancellationToken);
    }
}
