using System.Text;
using NewsBot.Feeds.Fetching;
using NewsBot.Feeds.Parsing;

namespace NewsBot.Cli;

/// <summary>What a verb reads: a file, an http(s) URL (through the fetcher and its limits), or "-" for stdin.</summary>
public sealed record CliDocument(byte[] Content, string? ContentType, Uri? Url, string? Error)
{
    public string Text => Encoding.UTF8.GetString(Content);

    /// <summary>HTML by content type, or by its first non-blank character.</summary>
    public bool LooksLikeHtml => ContentType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true || Text.AsSpan().TrimStart().StartsWith("<");

    /// <summary>
    /// Reads each input and prints one JSON line for it: the render's answer, or an error object when the input could
    /// not be read (or <paramref name="render"/> returned an error). "file" is set when there are several inputs.
    /// </summary>
    /// <returns>The exit code: 0, or 2 when any input failed.</returns>
    public static async Task<int> ForEachAsync(
        FeedFetcher fetcher,
        IReadOnlyList<string> inputs,
        TextWriter output,
        Func<CliDocument, string?, CliOutput> render,
        CancellationToken cancellationToken)
    {
        var exitCode = 0;
        foreach (var input in inputs)
        {
            var file = inputs.Count > 1 ? input : null;
            var document = await ReadAsync(fetcher, input, cancellationToken);
            var result = document.Error is null ? render(document, file) : CliOutput.Failed(document.Error);
            if (result.Error is not null)
            {
                exitCode = 2;
            }

            await output.WriteLineAsync(result.Error is null ? result.Json : FeedJson.ErrorJson(file ?? input, result.Error));
        }

        return exitCode;
    }

    public static async Task<CliDocument> ReadAsync(FeedFetcher fetcher, string input, CancellationToken cancellationToken)
    {
        if (input == "-")
        {
            using var stdin = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            await stdin.CopyToAsync(buffer, cancellationToken);
            return new CliDocument(buffer.ToArray(), null, null, null);
        }

        var location = Path.Exists(input) ? Path.GetFullPath(input) : input;
        var fetched = await fetcher.FetchAsync(new FetchRequest(location, AllowFile: true), cancellationToken);
        return fetched.Status == FetchStatus.Ok
            ? new CliDocument(fetched.Content, fetched.ContentType, fetched.FinalUri, null)
            : new CliDocument([], null, null, fetched.Error ?? "fetch.failed");
    }
}

/// <summary>One input's JSON line, or the reason it failed.</summary>
public sealed record CliOutput(string? Json, string? Error)
{
    public static CliOutput Ok(string json) => new(json, null);

    public static CliOutput Failed(string error) => new(null, error);
}

/// <summary>Verb argument helpers.</summary>
public static class CliArgs
{
    /// <summary>"--name value" from verb arguments; the rest are inputs.</summary>
    public static (List<string> Inputs, Dictionary<string, string> Options) Split(IReadOnlyList<string> args, params string[] optionNames)
    {
        var inputs = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (optionNames.Contains(args[i]) && i + 1 < args.Count)
            {
                options[args[i]] = args[++i];
            }
            else
            {
                inputs.Add(args[i]);
            }
        }

        return (inputs, options);
    }
}
