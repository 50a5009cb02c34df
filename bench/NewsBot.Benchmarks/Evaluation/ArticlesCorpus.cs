using System.IO.Compression;
using System.Text.Json;
using NewsBot.Text;

namespace NewsBot.Benchmarks.Evaluation;

/// <summary>One corpus page with its ground-truth article text.</summary>
public sealed record ArticlePage(string Id, string Html, Uri Url, string Truth);

/// <summary>Loads articles/zyte and articles/readability from the shared corpus (README section 3).</summary>
public static class ArticlesCorpus
{
    /// <summary>Readability.js ran its tests with this page URL, so expected links resolve against it.</summary>
    public static readonly Uri ReadabilityPageUrl = new("http://fakehost/test/page.html");

    public static IReadOnlyList<ArticlePage> Zyte(string corpus)
    {
        var root = Path.Combine(corpus, "articles", "zyte");
        return Directory.GetFiles(Path.Combine(root, "expected"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(expectedFile =>
            {
                var id = Path.GetFileNameWithoutExtension(expectedFile);
                using var expected = JsonDocument.Parse(File.ReadAllText(expectedFile));
                var url = new Uri(expected.RootElement.GetProperty("url").GetString()!);
                var truth = expected.RootElement.GetProperty("articleBody").GetString() ?? string.Empty;
                return new ArticlePage(id, ReadGzip(Path.Combine(root, "html", id + ".html.gz")), url, truth);
            })
            .ToList();
    }

    public static IReadOnlyList<ArticlePage> Readability(string corpus)
    {
        var root = Path.Combine(corpus, "articles", "readability");
        return Directory.GetDirectories(root)
            .Order(StringComparer.Ordinal)
            .Where(folder => File.Exists(Path.Combine(folder, "expected.html")))
            .Select(folder => new ArticlePage(
                Path.GetFileName(folder),
                ReadGzip(Path.Combine(folder, "source.html.gz")),
                ReadabilityPageUrl,
                HtmlText.ToPlainText(File.ReadAllText(Path.Combine(folder, "expected.html"))) ?? string.Empty))
            .ToList();
    }

    /// <summary>An extractor's published outputs on the Zyte pages (articles/zyte/predictions/NAME.json.gz), by page id.</summary>
    public static IReadOnlyDictionary<string, string> ZytePredictions(string corpus, string extractor)
    {
        using var json = JsonDocument.Parse(ReadGzip(Path.Combine(corpus, "articles", "zyte", "predictions", extractor + ".json.gz")));
        return json.RootElement.GetProperty("output").EnumerateObject().ToDictionary(
            page => page.Name,
            page => page.Value.TryGetProperty("articleBody", out var body) && body.ValueKind == JsonValueKind.String ? body.GetString()! : string.Empty);
    }

    /// <summary>F1 of an extractor on this split as listed in articles/zyte/baselines.json.</summary>
    public static double BaselineF1(string corpus, string extractor)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(corpus, "articles", "zyte", "baselines.json")));
        return json.RootElement.GetProperty("thisSplit").GetProperty(extractor).GetProperty("f1").GetDouble();
    }

    private static string ReadGzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }
}
