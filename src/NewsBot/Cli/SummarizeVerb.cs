using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NewsBot.Feeds.Fetching;
using NewsBot.Feeds.Parsing;
using NewsBot.Knowledge;
using NewsBot.Reading;

namespace NewsBot.Cli;

/// <summary><c>newsbot summarize PATH_OR_URL|- [--sentences N]</c>: the extractive summary of text or of a page's article.</summary>
public sealed class SummarizeVerb(FeedFetcher fetcher, ArticleExtractor extractor, Summarizer summarizer) : ICliVerb
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Name => "summarize";

    public string Help => "summarize PATH_OR_URL|- [--sentences N]  print the summary of plain text or an HTML page as JSON";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var (inputs, options) = CliArgs.Split(args, "--sentences");
        var sentences = 3;
        if (inputs.Count == 0 || (options.TryGetValue("--sentences", out var given) && (!int.TryParse(given, NumberStyles.Integer, CultureInfo.InvariantCulture, out sentences) || sentences is < 1 or > 50)))
        {
            await output.WriteLineAsync(FeedJson.ErrorJson(null, "usage: newsbot summarize PATH_OR_URL|- [--sentences N] (N from 1 to 50)"));
            return 2;
        }

        return await CliDocument.ForEachAsync(fetcher, inputs, output, (document, file) =>
        {
            string? title = null;
            var text = document.Text;
            if (document.LooksLikeHtml)
            {
                var article = extractor.Extract(document.Content, document.ContentType, document.Url);
                (title, text) = (article.Title, article.Text);
            }

            var summary = summarizer.Summarize(text, new SummaryOptions { MaxSentences = sentences, Title = title });
            var result = new Dictionary<string, object?>();
            if (file is not null)
            {
                result["file"] = file;
            }

            result["language"] = summary.Language;
            result["sentences"] = summary.Sentences;
            return CliOutput.Ok(JsonSerializer.Serialize(result, Json));
        }, cancellationToken);
    }
}
