using System.Text.Json;

namespace NewsBot.Benchmarks.Evaluation;

/// <summary>One article of the BBC News Summary corpus with its extractive reference.</summary>
public sealed record SummaryCorpusArticle(string Id, string Title, string Body, string Reference);

/// <summary>Reads summaries/bbc/*.jsonl from the shared corpus.</summary>
public static class SummaryCorpus
{
    public static List<SummaryCorpusArticle> Load(string corpusRoot)
    {
        var folder = Path.Combine(corpusRoot, "summaries", "bbc");
        var articles = new List<SummaryCorpusArticle>();
        foreach (var file in Directory.GetFiles(folder, "*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                articles.Add(new SummaryCorpusArticle(
                    root.GetProperty("id").GetString()!,
                    root.GetProperty("title").GetString()!,
                    root.GetProperty("body").GetString()!,
                    root.GetProperty("summary").GetString()!));
            }
        }

        return articles;
    }
}
