using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NewsBot.Benchmarks.Evaluation;
using NewsBot.Feeds.Parsing;

namespace NewsBot.Benchmarks.Feeds;

/// <summary>
/// Parse throughput over every file in feeds/real: NewsBot's FeedParser against SyndicationFeed.Load and a bare
/// XmlReader pass that reads every node (the floor any XML-based parser pays). One operation = the whole corpus.
/// Run: dotnet run -c Release --project bench/NewsBot.Benchmarks -- --filter '*ParseBenchmarks*' --job short
/// </summary>
[Config(typeof(ThroughputConfig))]
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private static readonly XmlReaderSettings ReaderSettings = new() { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
    private readonly FeedParser _parser = new();
    private byte[][] _files = [];

    /// <summary>
    /// Corpus passes run before measuring, the same for each parser. FeedParser and SyndicationFeed start as tier-0
    /// JIT code (XmlReader as precompiled framework code), and a short job's three warmups on a busy machine end
    /// before tiered compilation has optimised them: they would be measured half-compiled against an optimised floor.
    /// </summary>
    private const int TieringWarmupPasses = 30;

    [GlobalSetup(Target = nameof(NewsBotFeedParser))]
    public void SetupNewsBot() => Setup(() => NewsBotFeedParser());

    [GlobalSetup(Target = nameof(SyndicationFeedLoad))]
    public void SetupSyndication() => Setup(() => SyndicationFeedLoad());

    [GlobalSetup(Target = nameof(BareXmlReader))]
    public void SetupXmlReader() => Setup(() => BareXmlReader());

    private void Setup(Action pass)
    {
        // Every parser gets the same decoders: FeedParser registers the code-pages provider (windows-125x, GBK, …)
        // on first use, and without it XmlReader gives up on the first byte of two windows-1252 feeds.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        _files = RealFeedCorpus.Files.Value;
        for (var i = 0; i < TieringWarmupPasses; i++)
        {
            pass();
        }
    }

    /// <summary>Returns the items read, so the work cannot be optimised away.</summary>
    [Benchmark(Baseline = true)]
    public int NewsBotFeedParser()
    {
        var items = 0;
        foreach (var file in _files)
        {
            items += _parser.Parse(file, null, null).Feed?.Items.Count ?? 0;
        }

        return items;
    }

    [Benchmark]
    public int SyndicationFeedLoad() => RealFeedCorpus.LoadWithSyndication(_files).Items;

    [Benchmark]
    public long BareXmlReader()
    {
        long nodes = 0;
        foreach (var file in _files)
        {
            try
            {
                using var reader = XmlReader.Create(new MemoryStream(file), ReaderSettings);
                while (reader.Read())
                {
                    nodes += reader.Value.Length + 1;
                }
            }
            catch (XmlException)
            {
                // Ill-formed files stop where the reader gives up; it still did the reading up to there.
            }
        }

        return nodes;
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig()
        {
            // The machine is shared: the mean takes every stall of a busy neighbour, median and min show the parser.
            AddColumn(StatisticColumn.Median, StatisticColumn.Min);
            AddColumn(new ThroughputColumn("MB/s", _ => RealFeedCorpus.TotalBytes.Value / 1e6));
            AddColumn(new ThroughputColumn("items/s", name => name switch
            {
                nameof(NewsBotFeedParser) => RealFeedCorpus.NewsBotItems.Value,
                nameof(SyndicationFeedLoad) => RealFeedCorpus.Syndication.Value.Items,
                _ => double.NaN,
            }));
            AddColumn(new FixedColumn("files", name => name switch
            {
                nameof(NewsBotFeedParser) => $"{RealFeedCorpus.NewsBotParsed.Value}/{RealFeedCorpus.Files.Value.Length} read",
                nameof(SyndicationFeedLoad) => $"{RealFeedCorpus.Syndication.Value.Failures} rejected",
                _ => "-",
            }));
        }
    }

    /// <summary>Amount per operation divided by the mean time of one operation.</summary>
    private sealed class ThroughputColumn(string name, Func<string, double> amountPerOperation) : IColumn
    {
        public string Id => "Throughput." + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"{name} over all of feeds/real";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var amount = amountPerOperation(benchmarkCase.Descriptor.WorkloadMethod.Name);
            var meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return double.IsNaN(amount) || meanNanoseconds is null or 0 ? "-" : (amount / (meanNanoseconds.Value / 1e9)).ToString("N1", System.Globalization.CultureInfo.InvariantCulture);
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }

    private sealed class FixedColumn(string name, Func<string, string> value) : IColumn
    {
        public string Id => "Fixed." + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 1;
        public bool IsNumeric => false;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => name;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => value(benchmarkCase.Descriptor.WorkloadMethod.Name);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}

/// <summary>The feeds/real files in memory, and per-parser counts for the throughput columns.</summary>
internal static class RealFeedCorpus
{
    private static readonly XmlReaderSettings ReaderSettings = new() { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };

    public static readonly Lazy<byte[][]> Files = new(() =>
    {
        var root = Path.Combine(CorpusLocator.Locate() ?? throw new InvalidOperationException("Corpus not found: set NEWSBOT_CORPUS."), "feeds", "real");
        return [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetDirectoryName(path) != root)
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes)];
    });

    public static readonly Lazy<long> TotalBytes = new(() => Files.Value.Sum(f => (long)f.Length));

    public static readonly Lazy<int> NewsBotItems = new(() => Files.Value.Sum(f => new FeedParser().Parse(f, null, null).Feed?.Items.Count ?? 0));

    public static readonly Lazy<int> NewsBotParsed = new(() => Files.Value.Count(f => new FeedParser().Parse(f, null, null).Feed is not null));

    public static readonly Lazy<(int Items, int Failures)> Syndication = new(() => LoadWithSyndication(Files.Value));

    public static (int Items, int Failures) LoadWithSyndication(byte[][] files)
    {
        var items = 0;
        var failures = 0;
        foreach (var file in files)
        {
            try
            {
                using var reader = XmlReader.Create(new MemoryStream(file), ReaderSettings);
                items += SyndicationFeed.Load(reader).Items.Count();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // SyndicationFeed throws XmlException, FormatException, NotSupportedException… for what it rejects.
                failures++;
            }
        }

        return (items, failures);
    }
}
