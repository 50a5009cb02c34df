using BenchmarkDotNet.Attributes;
using NewsBot.Benchmarks.Evaluation;
using NewsBot.Knowledge;

namespace NewsBot.Benchmarks.Knowledge;

/// <summary>
/// Summarising one BBC article (3 sentences), averaged over a fixed sample of the corpus: the reported mean
/// divided by <see cref="SampleSize"/> is the time per article. `eval summaries` reports the median per article.
/// </summary>
[MemoryDiagnoser]
public class SummarizeBenchmarks
{
    private const int SampleSize = 100;
    private readonly Summarizer _summarizer = new();
    private List<SummaryCorpusArticle> _articles = [];

    [GlobalSetup]
    public void Setup()
    {
        var corpus = CorpusLocator.Locate() ?? throw new InvalidOperationException("The shared corpus was not found; set NEWSBOT_CORPUS.");
        var all = SummaryCorpus.Load(corpus);
        // Every n-th article: all five categories, the same sample on every run.
        _articles = all.Where((_, index) => index % (all.Count / SampleSize) == 0).Take(SampleSize).ToList();
    }

    [Benchmark(OperationsPerInvoke = SampleSize)]
    public int SummarizeArticle()
    {
        var sentences = 0;
        foreach (var article in _articles)
        {
            sentences += _summarizer.Summarize(article.Body, new SummaryOptions { MaxSentences = 3, Title = article.Title }).Sentences.Count;
        }

        return sentences;
    }
}
