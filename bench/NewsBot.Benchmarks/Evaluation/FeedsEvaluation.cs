using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NewsBot.Cli;
using NewsBot.Feeds.Parsing;

namespace NewsBot.Benchmarks.Evaluation;

/// <summary>Scores of one conformance suite; <see cref="Failures"/> lists failed case ids for diagnosis.</summary>
public sealed record SuiteScore(int Cases, int Applicable, int Passed, IReadOnlyDictionary<string, int> NotApplicable, IReadOnlyList<string> Failures)
{
    public double PassRate => Applicable == 0 ? 0 : (double)Passed / Applicable;
}

/// <param name="Images">Items with an article picture (<see cref="ParsedItem.ImageUrl"/>).</param>
public sealed record RealFileResult(string File, string Format, int Items, int Images, string? Error);

public sealed record RealScore(int Files, int Parsed, int Items, int Images, IReadOnlyList<RealFileResult> Results);

public sealed record FeedsReport(IReadOnlyDictionary<string, SuiteScore> Conformance, RealScore Real);

/// <summary>
/// <c>eval feeds</c>: the feed parser against the feedparser, gofeed and feed-rs conformance suites and over every
/// real-world snapshot in feeds/real (corpus README §1–2).
/// </summary>
public static class FeedsEvaluation
{
    public static string Run(string corpus, IReadOnlyList<string> args)
    {
        // "--parse FILE" shows how one document parses, in the `newsbot parse` JSON shape.
        if (BenchArguments.Text(args, "--parse") is { } file)
        {
            var result = new FeedParser().Parse(File.ReadAllBytes(file), null, null);
            return result.Feed is null ? FeedJson.ErrorJson(file, result.Error!) : FeedJson.ToJson(result.Feed, file);
        }

        var report = Evaluate(corpus);
        var verbose = args.Contains("--failures");
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("conformance");
            foreach (var (suite, score) in report.Conformance)
            {
                writer.WriteStartObject(suite);
                writer.WriteNumber("cases", score.Cases);
                writer.WriteNumber("applicable", score.Applicable);
                writer.WriteNumber("passed", score.Passed);
                writer.WriteStartObject("not_applicable");
                foreach (var (category, count) in score.NotApplicable.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WriteNumber(category, count);
                }

                writer.WriteEndObject();
                if (verbose)
                {
                    writer.WriteStartArray("failures");
                    score.Failures.ToList().ForEach(writer.WriteStringValue);
                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartObject("real");
            writer.WriteNumber("files", report.Real.Files);
            writer.WriteNumber("parsed", report.Real.Parsed);
            writer.WriteNumber("items", report.Real.Items);
            writer.WriteNumber("items_with_image", report.Real.Images);
            writer.WriteStartArray("failed");
            foreach (var failed in report.Real.Results.Where(r => r.Error is not null))
            {
                writer.WriteStringValue($"{failed.File}: {failed.Error}");
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static FeedsReport Evaluate(string corpus)
    {
        var conformanceRoot = Path.Combine(corpus, "feeds", "conformance");
        var aliases = LoadAliases(Path.Combine(conformanceRoot, "feedparser-key-aliases.json"));
        var cases = File.ReadLines(Path.Combine(conformanceRoot, "manifest.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .ToList();
        var conformance = new Dictionary<string, SuiteScore>(StringComparer.Ordinal);
        foreach (var suite in new[] { "feedparser", "gofeed", "feed-rs" })
        {
            conformance[suite] = ScoreSuite(conformanceRoot, cases.Where(c => (string?)c["source"] == suite).ToList(), suite, aliases);
        }

        return new FeedsReport(conformance, ScoreReal(Path.Combine(corpus, "feeds", "real")));
    }

    private static SuiteScore ScoreSuite(string root, List<JsonObject> cases, string suite, IReadOnlyDictionary<string, string[]> aliases)
    {
        var parser = new FeedParser();
        var notApplicable = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var applicable = 0;
        var passed = 0;
        var rules = new FeedsAssertions.SuiteRules(
            suite == "feedparser" ? aliases : new Dictionary<string, string[]>(),
            TextIsSanitisedHtml: suite == "feedparser",
            IdsMayBeGenerated: suite == "feed-rs",
            PlaceholderNames: suite == "feed-rs" ? new HashSet<string>(StringComparer.Ordinal) { "author" } : new HashSet<string>());
        foreach (var testCase in cases)
        {
            var harness = testCase["harness"] as JsonObject;

            // Upstream runs these only with chardet installed: byte-frequency guessing NewsBot does not do.
            if (((string?)harness?["skipUnless"])?.Contains("chardet", StringComparison.Ordinal) == true)
            {
                Count(notApplicable, "charset_autodetection");
                continue;
            }

            var (bytes, contentType, baseUri) = Input(root, testCase, harness);
            var result = parser.Parse(bytes, contentType, baseUri);
            if (result.Error?.StartsWith("feed.unknown_format: CDF", StringComparison.Ordinal) == true)
            {
                // A format NewsBot deliberately does not read.
                Count(notApplicable, "cdf_format");
                continue;
            }

            var model = (string?)testCase["model"] ?? string.Empty;
            JsonObject view = suite switch
            {
                "feedparser" => FeedsConformanceViews.Feedparser(result.Feed),
                "gofeed" => FeedsConformanceViews.Gofeed(result.Feed, result.Error, model),
                _ => FeedsConformanceViews.FeedRs(result.Feed),
            };

            var outcomes = testCase["assertions"]!.AsArray()
                .Select(a => FeedsAssertions.Check(view, a!.AsObject(), rules))
                .ToList();
            var checkedOutcomes = outcomes.Where(o => o.Applicable).ToList();
            if (checkedOutcomes.Count == 0)
            {
                var category = outcomes.Select(o => o.Category).FirstOrDefault(c => c != "bozo_flag") ?? outcomes.FirstOrDefault().Category ?? "no_assertions";
                Count(notApplicable, category!);
                continue;
            }

            applicable++;
            if (checkedOutcomes.TrueForAll(o => o.Passed))
            {
                passed++;
            }
            else
            {
                var assertions = testCase["assertions"]!.AsArray();
                var failed = outcomes.Select((o, i) => (o, i)).Where(p => p.o.Applicable && !p.o.Passed)
                    .Select(p => $"{assertions[p.i]!["path"]} {assertions[p.i]!["op"]} {assertions[p.i]!["value"]?.ToJsonString()}");
                failures.Add($"{testCase["id"]}: {string.Join(" | ", failed)}");
            }
        }

        return new SuiteScore(cases.Count, applicable, passed, notApplicable, failures);
    }

    /// <summary>How the upstream runner fed the document (corpus README §1, harness.input).</summary>
    private static (byte[] Bytes, string? ContentType, Uri? BaseUri) Input(string root, JsonObject testCase, JsonObject? harness)
    {
        var bytes = File.ReadAllBytes(Path.Combine(root, (string)testCase["file"]!));
        switch ((string?)harness?["input"])
        {
            case "decoded-text":
                // feedparser got a str: the declared encoding no longer applies, so say "already UTF-8".
                var text = DecodeAsUpstreamRunner(bytes);
                return (Encoding.UTF8.GetBytes(text), "application/xml; charset=utf-8", null);
            case "http":
                var url = (string?)harness!["url"];
                Uri? baseUri = url is null ? null : new Uri(url);
                if (harness["httpHeaders"] is JsonObject headers)
                {
                    var location = headers.FirstOrDefault(h => string.Equals(h.Key, "Content-Location", StringComparison.OrdinalIgnoreCase)).Value;
                    if (location is not null && baseUri is not null && Uri.TryCreate(baseUri, (string?)location, out var resolved))
                    {
                        baseUri = resolved;
                    }
                }

                return (bytes, (string?)harness["contentType"], baseUri);
            default:
                return (bytes, null, null);
        }
    }

    /// <summary>BOM / UTF-16/32 sniffing, then UTF-8 with invalid bytes dropped.</summary>
    private static string DecodeAsUpstreamRunner(byte[] bytes)
    {
        var utf8 = new UTF8Encoding(false, false);
        using var reader = new StreamReader(new MemoryStream(bytes), utf8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd().Replace("\uFFFD", string.Empty, StringComparison.Ordinal);
    }

    private static RealScore ScoreReal(string root)
    {
        var parser = new FeedParser();
        var results = new List<RealFileResult>();
        foreach (var line in File.ReadLines(Path.Combine(root, "manifest.jsonl")).Where(l => l.Length > 0))
        {
            var entry = JsonNode.Parse(line)!.AsObject();
            var file = (string)entry["file"]!;
            var format = (string?)entry["format"] ?? string.Empty;
            FeedParseResult result;
            try
            {
                result = parser.Parse(File.ReadAllBytes(Path.Combine(root, file)), null, null);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A crash is a bug to report, not a parse failure: keep going so the report shows every file.
                result = FeedParseResult.Failure("exception: " + ex);
            }

            var items = result.Feed?.Items ?? [];
            results.Add(new RealFileResult(file, format, items.Count, items.Count(i => i.ImageUrl is not null), result.Error));
        }

        return new RealScore(results.Count, results.Count(r => r.Error is null), results.Sum(r => r.Items), results.Sum(r => r.Images), results);
    }

    private static Dictionary<string, string[]> LoadAliases(string path)
    {
        var keymap = JsonNode.Parse(File.ReadAllText(path))!["keymap"]!.AsObject();
        return keymap.ToDictionary(
            pair => pair.Key,
            pair => pair.Value is JsonArray list ? list.Select(v => (string)v!).ToArray() : [(string)pair.Value!],
            StringComparer.Ordinal);
    }

    private static void Count(Dictionary<string, int> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;
}
