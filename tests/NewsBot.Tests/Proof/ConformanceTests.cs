using NewsBot.Benchmarks.Load;

namespace NewsBot.Tests.Proof;

public sealed class ConformanceTests
{
    [Fact]
    public void FeedParserParse_EveryConformanceDocument_ReturnsResultWithoutThrowing()
    {
        var report = HostileRuns.ParseConformance(TestCorpus.Require("feeds", "conformance"));

        Assert.True(report.Files > 1000, $"{report.Files} files");
        Assert.True(report.Exceptions == 0, string.Join('\n', report.ExceptionSamples));
        Assert.True(report.MaxMilliseconds < 2000, $"{report.SlowestFile} took {report.MaxMilliseconds} ms");
    }
}
