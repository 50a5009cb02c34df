using System.Diagnostics;
using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Feeds;
using NewsBot.Knowledge;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Benchmarks.Evaluation;

/// <summary>
/// "eval related [--corpus DIR] [--db-folder DIR] [--part bbc]": related articles on the BBC corpus, judged by category.
/// Every article of summaries/bbc goes through the real ingest path (one RSS file polled by the real SourceRefresher,
/// the body as the item's full content, enrichers and all), then each article asks <see cref="RelatedArticleFinder"/>
/// for 3 related articles; a link counts as right when it shares the article's category. Beside it, a plain TF-IDF
/// cosine over title + body computed here over the same articles. Queries are split by a hash of their id into a part
/// the threshold and weights were tuned on and a held-out part, reported apart. A second archive mixes in every feed of
/// feeds/real (many languages) and reports how many related links cross languages.
/// </summary>
public static class RelatedEvaluation
{
    private const int Shown = 3;

    public static async Task<string> RunAsync(string corpus, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(BenchArguments.Text(args, "--db-folder") ?? Path.GetTempPath(), $"newsbot-related-eval-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        try
        {
            var bbc = SummaryCorpus.Load(corpus);
            var categories = bbc.ToDictionary(a => ArticleUrl(a.Id), a => a.Id.Split(':', '/')[1]);
            var bbcFeed = Path.Combine(folder, "bbc.xml");
            await File.WriteAllTextAsync(bbcFeed, BbcFeed(bbc), cancellationToken);

            var ours = await EvaluateBbcAsync(Path.Combine(folder, "bbc.db"), bbcFeed, categories, cancellationToken);
            var baseline = Baseline(bbc);
            var mixed = BenchArguments.Text(args, "--part") == "bbc"
                ? null
                : await EvaluateMixedAsync(Path.Combine(folder, "mixed.db"), bbcFeed, Path.Combine(corpus, "feeds", "real"), cancellationToken);
            return JsonSerializer.Serialize(new
            {
                articles = bbc.Count,
                shown = Shown,
                newsbot = new { all = ours.Split.All, tuned = ours.Split.Tuned, heldOut = ours.Split.HeldOut },
                newsbotByMinSimilarityTuned = ours.Thresholds,
                tfidfCosine = new { all = baseline.All, tuned = baseline.Tuned, heldOut = baseline.HeldOut },
                mixed,
            });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Queries whose id hashes to 0 mod 3 were never looked at while tuning: the held-out third.</summary>
    internal static bool IsHeldOut(string id) => Fnv(id) % 3 == 0;

    private static async Task<BbcResult> EvaluateBbcAsync(string databasePath, string feed, Dictionary<string, string> categories, CancellationToken cancellationToken)
    {
        using var host = Archive.ArchiveBenchmark.BuildHost(databasePath);
        var stored = await IngestAsync(host.Services, [feed], cancellationToken);
        var finder = host.Services.GetRequiredService<RelatedArticleFinder>();
        var results = new List<QueryResult>();
        var sweep = new List<(string Id, List<(double Similarity, bool Same)> Links)>();
        foreach (var article in stored)
        {
            var category = categories[article.Url!];
            var watch = Stopwatch.StartNew();
            var related = finder.Find(article, RelatedArticleFinder.MaxResults);
            var ms = watch.Elapsed.TotalMilliseconds;
            results.Add(new QueryResult(IdOf(article.Url!), related.Take(Shown).Select(r => categories.GetValueOrDefault(r.Url) == category).ToList(), ms));
            sweep.Add((IdOf(article.Url!), related.Select(r => (r.Similarity, categories.GetValueOrDefault(r.Url) == category)).ToList()));
        }

        // What a higher minimum similarity would give, on the tuning part only: how the threshold was chosen.
        // Absolute minimum, and relative to the best link of the same query.
        var thresholds = (from t in new[] { 0.1, 0.12, 0.14, 0.16, 0.18, 0.2 }
                          from r in new[] { 0, 0.4, 0.5, 0.6 }
                          select (t, r)).ToDictionary(
            x => string.Create(CultureInfo.InvariantCulture, $"{x.t}/{x.r}"),
            x => Figures.Of(sweep.Where(q => !IsHeldOut(q.Id)).Select(q => new QueryResult(q.Id, q.Links.Where(l => l.Similarity >= x.t && l.Similarity >= x.r * q.Links[0].Similarity).Take(Shown).Select(l => l.Same).ToList(), 0)).ToList()));
        return new BbcResult(Split.Of(results), thresholds);
    }

    /// <summary>Plain TF-IDF cosine (log tf, idf = ln(N/df), English stop words out) over title + body, brute force.</summary>
    private static Split Baseline(List<SummaryCorpusArticle> articles)
    {
        var documents = articles.Select(a => TextTokens.Terms(a.Title + "\n" + a.Body).Where(t => !StopWords.Contains("en", t)).ToList()).ToList();
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in documents.SelectMany(d => d.Distinct(StringComparer.Ordinal)))
        {
            frequencies[term] = frequencies.GetValueOrDefault(term) + 1;
        }

        var vectors = documents.Select(terms =>
        {
            var vector = terms.GroupBy(t => t, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (1 + Math.Log(g.Count())) * Math.Log((double)documents.Count / frequencies[g.Key]), StringComparer.Ordinal);
            var norm = Math.Sqrt(vector.Values.Sum(w => w * w));
            return vector.ToDictionary(pair => pair.Key, pair => pair.Value / norm, StringComparer.Ordinal);
        }).ToList();
        var results = new List<QueryResult>();
        for (var i = 0; i < articles.Count; i++)
        {
            var watch = Stopwatch.StartNew();
            var best = Enumerable.Range(0, articles.Count).Where(j => j != i)
                .Select(j => (j, Cosine: vectors[i].Sum(pair => vectors[j].TryGetValue(pair.Key, out var w) ? pair.Value * w : 0)))
                .OrderByDescending(x => x.Cosine).Take(Shown).ToList();
            var ms = watch.Elapsed.TotalMilliseconds;
            var category = Category(articles[i].Id);
            results.Add(new QueryResult(articles[i].Id, best.Select(b => Category(articles[b.j].Id) == category).ToList(), ms));
        }

        return Split.Of(results);
    }

    /// <summary>BBC plus every feed of feeds/real in one archive: the share of related links in another language.</summary>
    private static async Task<object> EvaluateMixedAsync(string databasePath, string bbcFeed, string realFeeds, CancellationToken cancellationToken)
    {
        using var host = Archive.ArchiveBenchmark.BuildHost(databasePath);
        var feeds = Directory.EnumerateFiles(realFeeds, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".jsonl", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Prepend(bbcFeed).ToList();
        var stored = await IngestAsync(host.Services, feeds, cancellationToken);
        var finder = host.Services.GetRequiredService<RelatedArticleFinder>();
        var languages = stored.ToDictionary(a => a.Id, a => a.Language);
        int links = 0, known = 0, crossing = 0, answered = 0;
        var examples = new List<string>();
        foreach (var article in stored)
        {
            var related = finder.Find(article, Shown);
            answered += related.Count > 0 ? 1 : 0;
            foreach (var link in related)
            {
                links++;
                if (article.Language is { } language && languages.GetValueOrDefault(link.Id) is { } other)
                {
                    known++;
                    if (!RelatedArticleFinder.SameLanguage(language, other))
                    {
                        crossing++;
                        if (examples.Count < 5)
                        {
                            examples.Add($"[{language}] {article.Title} -> [{other}] {link.Title}");
                        }
                    }
                }
            }
        }

        return new
        {
            articles = stored.Count,
            byLanguage = stored.GroupBy(a => a.Language ?? "unknown").OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count()),
            queriesAnswered = answered,
            links,
            linksWithBothLanguagesKnown = known,
            crossLanguageLinks = crossing,
            crossLanguageRate = known == 0 ? 0 : Math.Round((double)crossing / known, 4),
            crossLanguageExamples = examples,
        };
    }

    /// <summary>Each feed file becomes a configured source, polled once by the real refresher (no page fetches).</summary>
    private static async Task<List<Article>> IngestAsync(IServiceProvider services, IReadOnlyList<string> feeds, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        var sources = services.GetRequiredService<ISourceStore>();
        var refresher = services.GetRequiredService<SourceRefresher>();
        foreach (var feed in feeds)
        {
            var (source, _) = await sources.AddAsync(feed, null, FullTextMode.Never, fromConfig: true, SourceKind.Feed, cancellationToken);
            await refresher.RefreshAsync(source, cancellationToken);
        }

        var store = services.GetRequiredService<IArticleStore>();
        return await store.LatestAsync(new ArticleQuery(int.MaxValue), cancellationToken);
    }

    /// <summary>
    /// One RSS document with every article, its body as content:encoded (full text, as a feed that carries it), published
    /// an hour apart in a shuffled order so that time says nothing about the category.
    /// </summary>
    private static string BbcFeed(List<SummaryCorpusArticle> articles)
    {
        var order = articles.OrderBy(a => Fnv(a.Id + "#time")).ToList();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var xml = new StringBuilder("""<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>BBC corpus</title><link>https://bbc.example/</link>""");
        for (var i = 0; i < order.Count; i++)
        {
            var article = order[i];
            var html = string.Concat(article.Body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(p => "<p>" + WebEncode(p.Trim()) + "</p>"));
            xml.Append("<item><title>").Append(SecurityElement.Escape(article.Title)).Append("</title>")
                .Append("<link>").Append(ArticleUrl(article.Id)).Append("</link><guid>").Append(ArticleUrl(article.Id)).Append("</guid>")
                .Append("<pubDate>").Append(start.AddHours(i).ToString("r", CultureInfo.InvariantCulture)).Append("</pubDate>")
                .Append("<content:encoded><![CDATA[").Append(html).Append("]]></content:encoded></item>");
        }

        return xml.Append("</channel></rss>").ToString();
    }

    private static string WebEncode(string text) => System.Net.WebUtility.HtmlEncode(text);

    private static string ArticleUrl(string id) => "https://bbc.example/" + id["bbc:".Length..];

    private static string IdOf(string url) => "bbc:" + url["https://bbc.example/".Length..];

    private static string Category(string id) => id.Split(':', '/')[1];

    private static uint Fnv(string text)
    {
        var hash = 2166136261;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }

    private sealed record BbcResult(Split Split, Dictionary<string, Figures> Thresholds);

    private sealed record QueryResult(string Id, List<bool> SameCategory, double Milliseconds);

    private sealed record Split(Figures All, Figures Tuned, Figures HeldOut)
    {
        public static Split Of(List<QueryResult> results) =>
            new(Figures.Of(results), Figures.Of(results.Where(r => !IsHeldOut(r.Id)).ToList()), Figures.Of(results.Where(r => IsHeldOut(r.Id)).ToList()));
    }

    /// <summary>
    /// Precision@k over the links shown (a query answered with fewer than k links counts the ones it shows), the share of
    /// queries answered with nothing, mean links shown, and time per query.
    /// </summary>
    private sealed record Figures(int Queries, double PrecisionAt1, double PrecisionAt3, double AnsweredNothing, double MeanLinks, double MedianMs, double P95Ms)
    {
        public static Figures Of(List<QueryResult> results)
        {
            var answered = results.Where(r => r.SameCategory.Count > 0).ToList();
            var ms = results.Select(r => r.Milliseconds).Order().ToList();
            return new Figures(
                results.Count,
                Round(answered.Count == 0 ? 0 : answered.Average(r => r.SameCategory[0] ? 1.0 : 0.0)),
                Round(answered.Count == 0 ? 0 : answered.Average(r => r.SameCategory.Take(Shown).Count(x => x) / (double)Math.Min(Shown, r.SameCategory.Count))),
                Round(results.Count == 0 ? 0 : 1 - ((double)answered.Count / results.Count)),
                Round(results.Count == 0 ? 0 : results.Average(r => r.SameCategory.Count)),
                Round(ms.Count == 0 ? 0 : ms[ms.Count / 2]),
                Round(ms.Count == 0 ? 0 : ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(0.95 * ms.Count) - 1)]));
        }

        private static double Round(double value) => Math.Round(value, 4);
    }
}
