using System.Runtime;
using System.Runtime.InteropServices;
using NewsBot.Knowledge;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Benchmarks.Archive;

/// <summary>
/// <c>archive … --phases</c>: where a <c>/related</c> lookup's time goes. Runs lookups through a finder over an index that
/// times each read (word counts, retrieval walks, reading the candidates); the rest of a lookup is the finder's own work
/// (tokenising and scoring). Times are the lookup thread's CPU (clock_gettime(CLOCK_THREAD_CPUTIME_ID), Linux), which
/// other engineers' builds on a shared machine barely move, and the bytes the thread allocated.
/// </summary>
internal sealed class RelatedPhases
{
    private readonly PhaseClock _clock = new();
    private readonly RelatedArticleFinder _finder;

    public RelatedPhases(ISimilarityIndex index) => _finder = new RelatedArticleFinder(new TimedIndex(index, _clock), TimeProvider.System);

    /// <summary>One untimed lookup (the warm-up).</summary>
    public void Find(Article article) => _finder.Find(article, RelatedArticleFinder.MaxResults);

    public object Measure(IReadOnlyList<Article> timed, ArchiveBenchmark.WarmUp warmUp)
    {
        var phases = new Dictionary<string, double[]>
        {
            ["counts"] = new double[timed.Count],
            ["walks"] = new double[timed.Count],
            ["documents"] = new double[timed.Count],
            ["finder"] = new double[timed.Count],
            ["total"] = new double[timed.Count],
        };
        var allocated = new double[timed.Count];
        var compiledBefore = JitInfo.GetCompiledMethodCount();
        for (var i = 0; i < timed.Count; i++)
        {
            _clock.Reset();
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var start = PhaseClock.ThreadCpuMs();
            Find(timed[i]);
            var total = PhaseClock.ThreadCpuMs() - start;
            allocated[i] = (GC.GetAllocatedBytesForCurrentThread() - bytes) / 1024.0;
            phases["counts"][i] = _clock.Counts;
            phases["walks"][i] = _clock.Walks;
            phases["documents"][i] = _clock.Documents;
            phases["finder"][i] = total - _clock.Counts - _clock.Walks - _clock.Documents;
            phases["total"][i] = total;
        }

        var result = phases.ToDictionary(pair => pair.Key, pair => Summary(pair.Value));
        result["allocatedKiB"] = Summary(allocated);
        return new
        {
            lookups = timed.Count, warmUpQueries = warmUp.Queries, warmUpSeconds = warmUp.Seconds,
            compiledWhileTimed = JitInfo.GetCompiledMethodCount() - compiledBefore, threadCpuMs = result,
        };
    }

    private static object Summary(double[] values)
    {
        var sorted = values.Order().ToArray();
        return new
        {
            mean = Math.Round(sorted.Average(), 3),
            p50 = Math.Round(sorted[sorted.Length / 2], 3),
            p99 = Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(0.99 * sorted.Length) - 1)], 3),
        };
    }

    private sealed class PhaseClock
    {
        public double Counts { get; set; }

        public double Walks { get; set; }

        public double Documents { get; set; }

        public void Reset() => Counts = Walks = Documents = 0;

        public static double ThreadCpuMs()
        {
            _ = NativeMethods.clock_gettime(NativeMethods.ClockThreadCpuTime, out var now);
            return (now.Seconds * 1e3) + (now.Nanoseconds / 1e6);
        }
    }

    private sealed class TimedIndex(ISimilarityIndex inner, PhaseClock clock) : ISimilarityIndex
    {
        public ISimilarityReader Open() => new TimedReader(inner.Open(), clock);
    }

    private sealed class TimedReader(ISimilarityReader inner, PhaseClock clock) : ISimilarityReader
    {
        public long ArchiveSize => inner.ArchiveSize;

        public IReadOnlyList<long> Count(IReadOnlyList<string> words)
        {
            var start = PhaseClock.ThreadCpuMs();
            var counts = inner.Count(words);
            clock.Counts += PhaseClock.ThreadCpuMs() - start;
            return counts;
        }

        public IReadOnlyList<IReadOnlyList<long>> NewestWith(IReadOnlyList<string> words, int limit)
        {
            var start = PhaseClock.ThreadCpuMs();
            var ids = inner.NewestWith(words, limit);
            clock.Walks += PhaseClock.ThreadCpuMs() - start;
            return ids;
        }

        public IReadOnlyList<SimilarityDocument> Documents(IReadOnlyCollection<long> ids)
        {
            var start = PhaseClock.ThreadCpuMs();
            var documents = inner.Documents(ids);
            clock.Documents += PhaseClock.ThreadCpuMs() - start;
            return documents;
        }

        public void Dispose() => inner.Dispose();
    }

    private static class NativeMethods
    {
        public const int ClockThreadCpuTime = 3;

        [StructLayout(LayoutKind.Sequential)]
        public struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int clock_gettime(int clock, out TimeSpec time);
    }
}
