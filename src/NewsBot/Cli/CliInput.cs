using System.Text;
using NewsBot.Feeds.Fetching;

namespace NewsBot.Cli;

/// <summary>What a verb reads: a file, an http(s) URL (through the fetcher and its limits), or "-" for stdin.</summary>
public sealed record CliDocument(byte[] Content, string? ContentType, Uri? Url, string? Error)
{
    public string Text => Encoding.UTF8.GetString(Content);

    /// <summary>HTML by content type, or by its first non-blank character.</summary>
    public bool LooksLikeHtml => ContentType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true || Text.AsSpan().TrimStart().StartsWith("<");

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
